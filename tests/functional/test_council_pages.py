"""The councils pages through the client: a manager forms a council (composition problems,
an eligibility warning overridden only with a reason, activation), sets the fund's rules with
their legal basis, and the secretary runs a meeting (attendance check-boxes, the quorum of
each item recomputed on each change, conflicts, buttons shown only when allowed)."""

import re
from datetime import date, timedelta

from sqlmodel import select

from funds.accounts.models import User
from funds.audit.models import AuditEntry
from funds.clock import utcnow
from funds.projects.services import create_award
from funds.proposals.services import record_decision
from reviews.councils.ballots.models import BallotTally
from reviews.councils.meetings import services as meetings
from reviews.councils.meetings.models import ItemConflict
from reviews.councils.models import Council, CouncilSeat
from reviews.councils.queries import rule_spec
from tests.councils_data import expert, selection_council


def _html(response) -> str:
    return response.get_data(as_text=True)


def test_a_manager_forms_a_council_and_activates_it_once_complete(client, make, session):
    call = make.call(title="Đợt tuyển chọn 2026")
    client.login(make.manager().email)
    assert (
        "Hội đồng" in _html(client.get("/councils/")) or client.get("/councils/").status_code == 200
    )
    response = client.post_form(
        f"/councils/funds/{call.fund_id}/new",
        {
            "kind": "selection",
            "name": "Hội đồng tuyển chọn đợt 1",
            "call_id": str(call.id),
            "award_id": "",
            "discipline": "",
            "formed_by": "QĐ 12/QĐ-QPT",
            "formed_on": "",
        },
    )
    assert response.status_code == 302, _html(response)[:2000]
    council = session.exec(select(Council)).one()
    page = _html(client.get(response.headers["Location"]))
    assert "Hội đồng tuyển chọn đợt 1" in page
    assert 'id="composition"' in page
    assert "activate-council" not in page  # no button while the composition fails its rules
    for role in (
        "chair",
        "vice_chair",
        "secretary",
        "reviewer_member",
        "reviewer_member",
        "member",
        "member",
    ):
        member = expert(make, session)
        response = client.post_form(
            f"/councils/{council.id}/members",
            {"user_id": str(member.id), "role": role, "represents": "none", "override_reason": ""},
        )
        assert response.status_code == 302, _html(response)[:3000]
    page = _html(client.get(f"/councils/{council.id}"))
    assert "activate-council" in page
    assert client.post_form(f"/councils/{council.id}/activate", {}).status_code == 302
    session.refresh(council)
    assert council.status == "active"


def test_an_eligibility_warning_is_shown_and_needs_a_reason(client, make, session):
    council, _seats, _ = selection_council(make, session, roles=("chair",), activate=False)
    newcomer = expert(make, session, title="", name="Kỹ sư Doanh Nghiệp")
    client.login(make.manager().email)
    client.use_language("en")
    data = {"user_id": str(newcomer.id), "role": "member", "represents": "enterprise"}
    page = _html(
        client.post_form(f"/councils/{council.id}/members", {**data, "override_reason": ""})
    )
    assert "Doctorate or professorship: unknown (no title on the profile)." in page
    assert (
        session.exec(select(CouncilSeat).where(CouncilSeat.user_id == newcomer.id)).first() is None
    )
    response = client.post_form(
        f"/councils/{council.id}/members",
        {**data, "override_reason": "Chuyên gia công nghệ của doanh nghiệp"},
    )
    assert response.status_code == 302
    page = _html(client.get(f"/councils/{council.id}"))
    assert "Appointed anyway: Chuyên gia công nghệ của doanh nghiệp" in page
    assert "Representative of an enterprise" in page


def test_the_council_page_shows_the_rules_with_their_legal_basis(client, make, session):
    council, _seats, _ = selection_council(make, session)
    client.login(make.manager().email)
    client.use_language("en")
    page = _html(client.get(f"/councils/{council.id}"))
    assert "20/2023/TT-BKHCN" in page
    assert "Circular 45/2016/TT-BTTTT" in page
    assert "more than 3/4 of the members present and not conflicted" in page


def test_the_fund_sets_its_rules_with_a_basis_and_the_change_is_audited(client, make, session):
    fund = make.fund()
    client.login(make.manager().email)
    client.use_language("en")
    url = f"/councils/funds/{fund.id}/rules/selection"
    form = {
        "min_members": "5",
        "max_members": "9",
        "required_roles": "chair,secretary,reviewer_member*2",
        "quorum_num": "3",
        "quorum_den": "5",
        "quorum_needs_chair": "y",
        "quorum_needs_secretary": "y",
        "pass_num": "2",
        "pass_den": "3",
        "pass_strict": "y",
        "ballot": "secret",
        "min_average_pct": "",
        "criterion_minimums": "y",
        "sheets_after_close": "y",
        "term_years": "3",
        "max_consecutive_terms": "2",
        "instrument": "",
        "article": "",
    }
    page = _html(client.post_form(url, form))
    assert "Give the legal basis: an instrument or the rule relied on." in page
    assert 'value="3"' in page  # what was typed is kept
    response = client.post_form(url, {**form, "article": "Quy chế hoạt động của Quỹ, Điều 15"})
    assert response.status_code == 302
    spec = rule_spec(session, fund.id, "selection")
    assert (spec.min_members, spec.quorum.numerator, spec.quorum.denominator) == (5, 3, 5)
    assert spec.article == "Quy chế hoạt động của Quỹ, Điều 15"
    assert session.exec(select(AuditEntry).where(AuditEntry.object_type == "council_rules")).one()


def _meeting(make, session):
    council, seats, call = selection_council(make, session)
    proposal = make.proposal(call=call, submit=True, title="Vật liệu bán dẫn GaN")
    meeting = meetings.schedule_meeting(
        session,
        actor=make.manager(),
        council_id=council.id,
        starts_at=utcnow() + timedelta(hours=2),
        mode="in_person",
        place="Phòng 301",
    )
    item = meetings.add_item(
        session, actor=make.manager(), meeting_id=meeting.id, proposal_id=proposal.id
    )
    session.commit()
    return council, seats, meeting, item


def _attendance(seats, present):
    data = {}
    for i, seat in enumerate(seats):
        if i in present:
            data[f"present_{seat.id}"] = "y"
        data[f"how_{seat.id}"] = "in_person"
    return data


def test_the_secretary_takes_attendance_and_sees_each_items_quorum(client, make, session):
    _council, seats, meeting, item = _meeting(make, session)
    secretary = session.get_one(User, seats[2].user_id)
    client.login(secretary.email)
    client.use_language("en")
    url = f"/councils/meetings/{meeting.id}"
    page = _html(client.get(url))
    assert "save-attendance" in page
    assert "open-meeting" in page
    assert f"start-{item.id}" not in page  # not in session yet
    assert client.post_form(f"{url}/open", {}).status_code == 302
    client.post_form(f"{url}/attendance", _attendance(seats, {0, 2, 3}))
    page = _html(client.get(url))
    assert "No quorum: 3 present of 7, 5 needed" in page
    assert f"start-{item.id}" not in page
    assert client.post_form(f"/councils/items/{item.id}/start", {}).status_code == 302
    session.refresh(item)
    assert item.status == "pending"  # refused: no quorum
    client.post_form(f"{url}/attendance", _attendance(seats, {0, 1, 2, 3, 4}))
    page = _html(client.get(url))
    assert re.search(rf'id="quorum-{item.id}"[^>]*>\s*Quorum: 5 present of 7, 5 needed', page)
    assert f"start-{item.id}" in page
    client.post_form(f"/councils/items/{item.id}/start", {})
    page = _html(client.get(url))
    assert f"voting-{item.id}" in page
    assert "close-meeting" not in page  # an item is under deliberation
    assert f"ballot-{item.id}" in page  # the item's sheets, vote and conclusion
    client.post_form(f"/councils/items/{item.id}/voting", {})
    tallies = session.exec(select(BallotTally).where(BallotTally.item_id == item.id)).all()
    assert sorted((t.choice, t.votes) for t in tallies) == [
        ("do_not_select", 0),
        ("select", 0),
        ("select_with_changes", 0),
    ]  # opening the vote lays out the secret ballot before anyone votes
    mine = _html(client.get("/council-work/"))
    assert f"/councils/meetings/{meeting.id}" in mine  # the secretary's way to the meeting


def test_a_members_declared_conflict_takes_them_out_of_the_items_quorum(client, make, session):
    council, seats, meeting, item = _meeting(make, session)
    manager = make.manager()
    meetings.open_meeting(session, actor=manager, meeting_id=meeting.id)
    for i, seat in enumerate(seats):
        meetings.record_attendance(
            session, actor=manager, meeting_id=meeting.id, seat_id=seat.id, present=i < 5
        )
    session.commit()
    member = session.get_one(User, seats[4].user_id)
    client.login(member.email)
    client.use_language("en")
    page = _html(client.get(f"/councils/items/{item.id}"))
    assert "Accept the council’s confidentiality statement" in page
    assert "Vật liệu bán dẫn GaN" in page  # the title, not the material
    client.post_form(f"/councils/{council.id}/confidentiality", {"accept": "y"})
    page = _html(client.get(f"/councils/items/{item.id}"))
    assert 'id="material"' in page
    assert "save-attendance" not in _html(client.get(f"/councils/meetings/{meeting.id}"))
    response = client.post_form(
        f"/councils/items/{item.id}/conflicts",
        {"reason": "Tôi đồng hướng dẫn nghiên cứu sinh của chủ nhiệm", "back": "item"},
    )
    assert response.headers["Location"].endswith(f"/councils/items/{item.id}")
    assert session.exec(select(ItemConflict)).one().source == "declared"
    page = _html(client.get(f"/councils/items/{item.id}"))
    assert "You have a conflict of interest on this item." in page
    assert "No quorum: 4 present of 6, 4 needed" not in page
    assert "Quorum: 4 present of 6, 4 needed" in page


def test_a_member_of_another_council_gets_not_found(client, make, session):
    council, _seats, meeting, item = _meeting(make, session)
    _other, other_seats, _ = selection_council(make, session)
    outsider = session.get_one(User, other_seats[2].user_id)
    client.login(outsider.email)
    for url in (
        f"/councils/{council.id}",
        f"/councils/meetings/{meeting.id}",
        f"/councils/items/{item.id}",
    ):
        assert client.get(url).status_code == 404
    assert client.post_form(f"/councils/meetings/{meeting.id}/open", {}).status_code == 404
    assert client.get("/councils/").status_code == 403  # the managers' list


def test_the_call_and_project_pages_link_to_their_councils(client, make, session):
    council, _seats, call = selection_council(make, session)
    client.login(make.manager().email)
    page = _html(client.get(f"/calls/{call.id}"))
    assert f"/councils/?call_id={call.id}" in page
    listing = _html(client.get(f"/councils/?call_id={call.id}"))
    assert f"/councils/{council.id}" in listing
    proposal = make.proposal(call=call, submit=True)
    record_decision(session, actor=make.manager(), proposal_id=proposal.id, outcome="funded")
    award = create_award(
        session,
        actor=make.manager(),
        proposal_id=proposal.id,
        contract_number="HD-HDNT-01",
        contract_date=date(2026, 1, 10),
        start_date=date(2026, 1, 15),
        end_date=date(2027, 12, 31),
    )
    session.commit()
    page = _html(client.get(f"/projects/{award.id}"))
    assert f"/councils/?award_id={award.id}" in page
    response = client.get(f"/councils/?award_id={award.id}")
    assert f"/councils/funds/{call.fund_id}/new?" in _html(response)
    form = _html(
        client.get(f"/councils/funds/{call.fund_id}/new?award_id={award.id}&kind=acceptance")
    )
    assert re.search(rf'<option selected value="{award.id}">|value="{award.id}" selected', form)


def test_bad_input_is_refused_with_a_message_and_what_was_typed_is_kept(client, make, session):
    council, _seats, call = selection_council(make, session)
    client.login(make.manager().email)
    client.use_language("en")
    response = client.post_form(
        f"/councils/funds/{call.fund_id}/new",
        {"kind": "selection", "name": "Hội đồng thử", "call_id": "abc", "award_id": "x"},
    )
    assert response.status_code == 200
    page = _html(response)
    assert "A selection council is formed for one of the fund&#39;s calls." in page
    assert 'value="Hội đồng thử"' in page
    response = client.post_form(
        f"/councils/{council.id}/meetings",
        {"starts_at": "2026-12-20T08:30", "mode": "online", "place": "Phòng 5", "link": ""},
    )
    assert response.status_code == 200
    page = _html(response)
    assert "Give the https:// link of a meeting held online." in page
    assert 'value="Phòng 5"' in page
    assert 'value="2026-12-20T08:30"' in page


def test_the_whole_proposal_is_open_to_members_after_confidentiality_and_not_to_the_conflicted(
    client, make, session
):
    council, seats, _meeting_row, item = _meeting(make, session)
    reader, conflicted = (session.get_one(User, seats[i].user_id) for i in (3, 4))
    meetings.declare_item_conflict(
        session, actor=conflicted, item_id=item.id, reason="Đồng tác giả"
    )
    session.commit()
    url = f"/councils/items/{item.id}/proposal.pdf"
    client.login(reader.email)
    assert client.get(url).status_code == 403  # confidentiality first
    client.post_form(f"/councils/{council.id}/confidentiality", {"accept": "y"})
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    client.logout()
    client.login(conflicted.email)
    client.post_form(f"/councils/{council.id}/confidentiality", {"accept": "y"})
    assert client.get(url).status_code == 403
    assert client.get(f"/councils/items/{item.id}/files/999").status_code == 403
