"""The demo (`flask seed-demo`, scripts/demo.sh) has a selection council that has met and one
whose meeting is scheduled (issue 14), made through the councils' services, with the
accounts the README lists so that a visitor can sign in and see both."""

from io import BytesIO
from pathlib import Path

from pypdf import PdfReader
from sqlmodel import col, select

from funds.accounts.services import find_user_by_email
from funds.clock import utcnow
from funds.proposals.models import Proposal
from portal import demo
from portal.demo_councils import EXPERTS, SECRETARY
from reviews.councils.ballots.models import BallotTally, VoteCast
from reviews.councils.decisions.models import CouncilDecision, CouncilDecisionLine
from reviews.councils.meetings.models import (
    Attendance,
    ItemConflict,
    Meeting,
    MeetingItem,
    RatingSheet,
)
from reviews.councils.minutes.models import Minutes
from reviews.councils.minutes.queries import signatures, signed_minutes
from reviews.councils.models import Council, CouncilSeat

README = Path(__file__).resolve().parents[2] / "README.md"


def _rows(session, model, *where):
    return list(session.exec(select(model).where(*where)).all())


def test_the_demo_has_a_council_that_met_and_one_that_is_scheduled(runner, session):
    assert "Demo data ready." in runner.invoke(args=["seed-demo"]).output
    now = utcnow()
    councils = _rows(session, Council)
    # the third reads the applicants' responses to the reviews (portal/demo_practices.py)
    assert [(c.kind, c.status) for c in councils] == [("selection", "active")] * 3
    met, upcoming, _reading = councils
    assert met.call_id != upcoming.call_id
    assert met.formed_by

    # seven members from the reviewer pool, eligible (no override), confidentiality accepted
    seats = _rows(session, CouncilSeat, CouncilSeat.council_id == met.id)
    assert sorted(s.role for s in seats) == sorted(e.role for e in EXPERTS)
    assert all(s.active and s.confidentiality_accepted_at for s in seats)
    assert all(s.eligibility_override == "" for s in seats)

    # the meeting that was held: scheduled in the past, attendance, closed
    (meeting,) = _rows(session, Meeting, Meeting.council_id == met.id)
    assert meeting.status == "closed"
    assert meeting.starts_at < now
    attendance = _rows(session, Attendance, Attendance.meeting_id == meeting.id)
    assert sorted(a.present for a in attendance) == [False] + [True] * 6
    items = _rows(session, MeetingItem, MeetingItem.meeting_id == meeting.id)
    assert [(i.status, i.conclusion, i.council_rank) for i in items] == [
        ("concluded", "select_with_changes", 1),
        ("concluded", "do_not_select", 2),
    ]
    assert items[0].requested_changes
    assert items[0].dissent
    (conflict,) = _rows(session, ItemConflict, col(ItemConflict.item_id).in_([i.id for i in items]))
    assert (conflict.item_id, conflict.source) == (items[1].id, "declared")

    # a submitted sheet and a secret ballot from every member present and not conflicted
    for item, voters in ((items[0], 6), (items[1], 5)):
        sheets = _rows(session, RatingSheet, RatingSheet.item_id == item.id)
        assert [s.status for s in sheets] == ["submitted"] * voters
        assert len(_rows(session, VoteCast, VoteCast.item_id == item.id)) == voters
        tallies = _rows(session, BallotTally, BallotTally.item_id == item.id)
        assert sum(t.votes for t in tallies) == voters

    # Vietnamese minutes signed by the chair and the secretary, then the fund's decision
    minutes = signed_minutes(session, meeting.id)
    assert minutes is not None
    assert minutes.language == "vi"
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(minutes.pdf)).pages)
    text = " ".join(text.split())  # a table header may wrap a criterion's name
    for expected in ("Biên bản họp hội đồng", "Giá trị khoa học", "Bỏ phiếu kín", "Vắng mặt"):
        assert expected in text, expected  # the rubric's criteria translated too
    signed = signatures(session, [minutes.id])[minutes.id]
    assert sorted(s.role for s in signed) == ["chair", "secretary"]
    assert all(s.sha256 == minutes.sha256 for s in signed)
    (decision,) = _rows(session, CouncilDecision, CouncilDecision.meeting_id == meeting.id)
    assert decision.minutes_id == minutes.id
    assert decision.pdf.startswith(b"%PDF")
    lines = _rows(session, CouncilDecisionLine, CouncilDecisionLine.decision_id == decision.id)
    assert sorted((ln.recommendation, ln.outcome) for ln in lines) == [
        ("do_not_select", "not_funded"),
        ("select_with_changes", "funded"),
    ]
    statuses = {i.proposal_id: session.get(Proposal, i.proposal_id).status for i in items}
    assert statuses == {items[0].proposal_id: "funded", items[1].proposal_id: "not_funded"}

    # the other council, the same members, a meeting scheduled in the future
    (later,) = _rows(session, Meeting, Meeting.council_id == upcoming.id)
    assert later.status == "scheduled"
    assert later.starts_at > now
    assert len(_rows(session, CouncilSeat, CouncilSeat.council_id == upcoming.id)) == 7
    assert _rows(session, Minutes, Minutes.meeting_id == later.id) == []


def test_the_readme_lists_the_council_accounts_and_they_see_both_councils(runner, session, client):
    runner.invoke(args=["seed-demo"])
    readme = README.read_text(encoding="utf-8")
    for e in EXPERTS:
        assert f"`{e.email}`" in readme, e.email
        assert find_user_by_email(session, e.email) is not None
    secretary = EXPERTS[SECRETARY].email
    client.login(secretary, demo.DEMO_PASSWORD)
    client.use_language("vi")
    page = client.get("/council-work/").get_data(as_text=True)
    meetings = list(session.exec(select(Meeting).order_by(col(Meeting.id))).all())
    for m in meetings:  # the secretary runs both meetings from "My councils"
        assert f"/councils/meetings/{m.id}" in page
    assert "Thiết kế vi mạch RISC-V tiết kiệm năng lượng" in page
    assert "Chương trình họp chưa có nội dung." in page  # the scheduled meeting, no items yet
    held = client.get(f"/councils/meetings/{meetings[0].id}").get_data(as_text=True)
    assert "/council-minutes/meetings/" in held
    minutes_page = client.get(f"/council-minutes/meetings/{meetings[0].id}")
    assert minutes_page.status_code == 200
    assert signed_minutes(session, meetings[0].id).sha256 in minutes_page.get_data(as_text=True)
    assert client.get(f"/councils/meetings/{meetings[1].id}").status_code == 200
