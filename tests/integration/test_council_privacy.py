"""A council member's personal data (Law 91/2025/QH15): the export holds their seats and
attendance; an erasure keeps the council's record, which names them by account number."""

import json

from sqlmodel import select

import reviews.privacy.councils  # noqa: F401  (registers the councils' part, as the portal does)
from funds.accounts.models import User
from funds.privacy.services import erasure_preview, personal_data
from reviews.councils.meetings.models import Attendance
from tests.councils_data import selection_council


def test_a_members_export_holds_their_seat_and_the_erasure_keeps_the_record(make, session):
    council, seats, _call = selection_council(make, session)
    member = session.get_one(User, seats[3].user_id)
    data = personal_data(session, member)["sections"]
    assert [s["council"] for s in data["council_seats"]] == [council.name]
    assert data["council_seats"][0]["role"] == seats[3].role
    json.dumps(data, default=str)  # exportable as JSON
    kept = erasure_preview(session, user=member).kept
    assert any("Council seats" in r.what for r in kept)
    other = make.user("applicant")
    assert personal_data(session, other)["sections"]["council_seats"] == []
    assert session.exec(select(Attendance)).all() == []
