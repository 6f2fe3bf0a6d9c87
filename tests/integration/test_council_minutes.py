"""Minutes (biên bản) on a real database: generated from the meeting record through the portal's
render_pdf and read back, versioned with their SHA-256, signed by the chair and the secretary
only, a later version needing new signatures."""

import hashlib
from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlmodel import select

from funds.audit.models import AuditEntry
from funds.errors import InvalidTransition, NotAllowed, NotFound
from portal.council_minutes.render import minutes_pdf
from reviews.councils.minutes import queries as mq
from reviews.councils.minutes.models import Minutes
from reviews.councils.minutes.services import generate_minutes, sign_minutes
from reviews.councils.models import CouncilRules
from tests import council_minutes_data as data


@pytest.fixture
def selection(make, session):
    """A selection council's closed meeting on two proposals: one selected by secret ballot
    with a dissent and a conflicted member, one not selected."""
    call = make.call()
    first = make.proposal(pi=make.user("applicant"), call=call, submit=True, title="Pin natri-ion")
    second = make.proposal(
        pi=make.user("applicant"), call=call, submit=True, title="Cảm biến độ ẩm đất"
    )
    sitting = data.sitting(session, make, fund_id=call.fund_id, call_id=call.id)
    data.item(
        session,
        sitting,
        proposal_id=first.id,
        conclusion="select",
        rank=1,
        tallies={"select": 5, "do_not_select": 0, "select_with_changes": 0},
        conflicted=(5,),
        dissent="TS. Đỗ Ủy Viên: kinh phí thiết bị cao hơn mức cần thiết.",
        scores={0: {"1": 9, "2": 8}, 3: {"1": 7, "2": 9}},
    )
    data.item(
        session,
        sitting,
        proposal_id=second.id,
        conclusion="do_not_select",
        rank=2,
        tallies={"select": 1, "do_not_select": 5},
    )
    session.commit()
    return sitting


def _text(pdf: bytes) -> str:
    """The PDF's text without white space, so that a wrapped line still matches."""
    return "".join("".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages).split())


def _has(text: str, expected: str) -> bool:
    return "".join(expected.split()) in text


def test_the_minutes_read_back_with_diacritics_attendance_votes_and_dissent(
    app, session, selection
):
    """Circular 20/2023/TT-BKHCN councils; dissent recorded in the minutes (LEGAL_NOTES)."""
    with app.test_request_context():
        minutes = generate_minutes(
            session,
            actor=selection.secretary,
            meeting_id=selection.meeting.id,
            render=minutes_pdf,
        )
    session.commit()
    text = _text(minutes.pdf)
    for expected in (
        "Biên bản họp hội đồng",
        "Quyết định số 12/QĐ-QKHCN ngày 01/11/2026",
        "20/2023/TT-BKHCN",
        "20/11/2026 08:30",  # Vietnam time
        "Phòng họp số 3, 39 Trần Hưng Đạo, Hà Nội",
        "GS. Nguyễn Văn Chủ Tịch",
        "Vắng mặt",  # the absent representative of the ordering body
        "TS. Vũ Đại Diện",
        "Đồng tác giả",  # the conflicted member's reason
        "Bỏ phiếu kín",
        "Pin natri-ion",
        "Cảm biến độ ẩm đất",
        "kinh phí thiết bị cao hơn mức cần thiết",
        "Thành viên 1",  # secret ballot: scores numbered, not named
    ):
        assert _has(text, expected), expected
    assert _has(text, "Đề xuất tuyển chọn")  # the choices with their tallies
    assert minutes.sha256 == hashlib.sha256(minutes.pdf).hexdigest()
    assert (minutes.version, minutes.language) == (1, "vi")


def test_an_open_vote_names_its_voters_and_the_english_minutes_are_on_request(app, make, session):
    call = make.call()
    proposal = make.proposal(pi=make.user("applicant"), call=call, submit=True, title="Vắc-xin")
    session.add(CouncilRules(fund_id=call.fund_id, kind="selection", ballot="open"))
    sitting = data.sitting(session, make, fund_id=call.fund_id, call_id=call.id)
    data.item(
        session,
        sitting,
        proposal_id=proposal.id,
        conclusion="select",
        open_votes={0: "select", 1: "select", 2: "select", 3: "select", 4: "select"},
        scores={0: {"1": 9}},
    )
    session.commit()
    with app.test_request_context():
        minutes = generate_minutes(
            session,
            actor=make.manager(),
            meeting_id=sitting.meeting.id,
            render=minutes_pdf,
            language="en",
        )
    text = _text(minutes.pdf)
    assert _has(text, "Minutes of the council meeting")
    assert _has(text, "Open vote")
    assert _has(text, "GS. Nguyễn Văn Chủ Tịch: Select")
    assert _has(text, "Vắc-xin")


def test_each_generation_is_a_new_version_and_a_later_one_needs_new_signatures(session, selection):
    """Every later change produces a new version, the old one kept (issue 14 §6)."""
    secretary, chair = selection.secretary, selection.chair
    first = generate_minutes(
        session, actor=secretary, meeting_id=selection.meeting.id, render=data.fake_pdf
    )
    sign_minutes(session, actor=chair, minutes_id=first.id, sha256=first.sha256)
    sign_minutes(session, actor=secretary, minutes_id=first.id)
    assert mq.signed_minutes(session, selection.meeting.id).id == first.id
    second = generate_minutes(
        session,
        actor=secretary,
        meeting_id=selection.meeting.id,
        render=lambda r, lang: b"%PDF corrected",
    )
    session.commit()
    assert second.version == 2
    assert [m.version for m in mq.versions(session, selection.meeting.id)] == [2, 1]
    assert mq.signed_minutes(session, selection.meeting.id) is None  # v2 is not signed yet
    with pytest.raises(InvalidTransition):  # v1 is superseded
        sign_minutes(session, actor=chair, minutes_id=first.id)
    with pytest.raises(InvalidTransition):  # the hash shown is not this version's
        sign_minutes(session, actor=chair, minutes_id=second.id, sha256=first.sha256)
    signature = sign_minutes(session, actor=chair, minutes_id=second.id)
    assert signature.role == "chair"
    assert signature.sha256 == hashlib.sha256(b"%PDF corrected").hexdigest()
    with pytest.raises(InvalidTransition):
        sign_minutes(session, actor=chair, minutes_id=second.id)
    sign_minutes(session, actor=secretary, minutes_id=second.id)
    session.commit()
    assert mq.signed_minutes(session, selection.meeting.id).id == second.id
    assert session.get(Minutes, first.id).sha256 == first.sha256  # the old version is kept
    actions = session.exec(
        select(AuditEntry.action).where(AuditEntry.object_type == "minutes")
    ).all()
    assert actions.count("sign") == 4
    assert actions.count("generate") == 2


def test_only_the_chair_and_the_secretary_sign_and_outsiders_see_nothing(make, session, selection):
    minutes = generate_minutes(
        session, actor=make.manager(), meeting_id=selection.meeting.id, render=data.fake_pdf
    )
    with pytest.raises(NotAllowed):  # a reviewer member
        sign_minutes(session, actor=selection.users[3], minutes_id=minutes.id)
    with pytest.raises(NotAllowed):  # the fund's manager does not sign for the council
        sign_minutes(session, actor=make.manager(), minutes_id=minutes.id)
    with pytest.raises(NotFound):
        sign_minutes(session, actor=make.user("reviewer"), minutes_id=minutes.id)
    with pytest.raises(NotAllowed):  # a member does not make the minutes
        generate_minutes(
            session,
            actor=selection.users[3],
            meeting_id=selection.meeting.id,
            render=data.fake_pdf,
        )


def test_no_minutes_before_the_meeting_closes(make, session, selection):
    selection.meeting.status = "open"
    session.add(selection.meeting)
    session.commit()
    with pytest.raises(InvalidTransition):
        generate_minutes(
            session,
            actor=selection.secretary,
            meeting_id=selection.meeting.id,
            render=data.fake_pdf,
        )
