"""Decisions that cite councils, on both databases: the selection decision departs from the
council's recommendation only with a reason shown in its document; the funding line gives
way to the council; acceptance refunds follow the acceptance council's conclusion; a mid-term
"stop" ends the project through the closeout path under its regime."""

from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlmodel import select

from funds.accounts.models import User
from funds.audit.models import AuditEntry
from funds.compliance.services import acknowledge_slate
from funds.errors import InvalidTransition, NotAllowed, RuleViolation
from funds.projects import closeout as co
from funds.projects import services as svc
from funds.projects.acceptance.services import record_self_evaluation
from funds.projects.models import Award
from funds.projects.money.models import Movement
from funds.projects.regimes.rules import ALL_YES, Evaluation, Rating
from funds.proposals.models import Decision, Proposal
from funds.proposals.services import record_decision
from portal.council_minutes.render import decision_pdf
from reviews.consolidation.services import apply_funding_line
from reviews.councils.decisions.models import CouncilDecisionLine
from reviews.councils.decisions.services import (
    close_from_council,
    decide_selection,
    preview_from_council,
    stop_from_council,
)
from tests import council_minutes_data as data


@pytest.fixture
def selection(make, session):
    """Three proposals before a selection council: ranked 1 (select), 2 (select with
    changes), 3 (do not select)."""
    call = make.call()
    proposals = [
        make.proposal(pi=make.user("applicant"), call=call, submit=True, title=title)
        for title in ("Pin natri-ion", "Cảm biến độ ẩm đất", "Vật liệu nano")
    ]
    sitting = data.sitting(session, make, fund_id=call.fund_id, call_id=call.id)
    items = [
        data.item(session, sitting, proposal_id=p.id, conclusion=c, rank=n)
        for n, (p, c) in enumerate(
            zip(proposals, ("select", "select_with_changes", "do_not_select"), strict=True), 1
        )
    ]
    session.commit()
    return call, sitting, proposals, items


def test_a_decision_cites_only_minutes_signed_by_the_chair_and_the_secretary(
    make, session, selection
):
    _call, sitting, _p, items = selection
    outcomes = {i.id: ("funded", "") for i in items[:2]} | {items[2].id: ("not_funded", "")}
    with pytest.raises(InvalidTransition):
        decide_selection(
            session,
            actor=make.manager(),
            meeting_id=sitting.meeting.id,
            outcomes=outcomes,
            render=data.fake_pdf,
        )


def test_a_departure_from_the_recommendation_is_refused_without_a_reason_and_shown_with_one(
    app, make, session, selection
):
    """Issue 14 §7: any departure from the council's recommendation needs a logged reason
    shown in the decision document."""
    _call, sitting, proposals, items = selection
    data.signed_minutes(session, sitting)
    session.commit()
    departing = {
        items[0].id: ("funded", ""),
        items[1].id: ("not_funded", ""),  # recommended with changes, not funded
        items[2].id: ("funded", ""),  # not recommended, funded
    }
    with pytest.raises(RuleViolation) as refused:
        decide_selection(
            session,
            actor=make.manager(),
            meeting_id=sitting.meeting.id,
            outcomes=departing,
            render=data.fake_pdf,
        )
    assert sorted(v.field for v in refused.value.violations) == [
        f"reason_{items[1].id}",
        f"reason_{items[2].id}",
    ]
    session.rollback()
    departing[items[1].id] = ("not_funded", "Trùng lặp với nhiệm vụ cấp bộ đang thực hiện")
    departing[items[2].id] = ("funded", "Ưu tiên công nghệ chiến lược theo Quyết định 1131")
    with pytest.raises(RuleViolation, match="strategic-technology floor"):  # the line's check
        decide_selection(
            session,
            actor=make.manager(),
            meeting_id=sitting.meeting.id,
            outcomes=departing,
            render=data.fake_pdf,
        )
    session.rollback()
    acknowledge_slate(
        session,
        actor=make.manager(),
        proposal_ids=[proposals[0].id, proposals[2].id],
        years_below=[],
        summary={},
        note="Quỹ chấp nhận",
    )
    with app.test_request_context():
        decision = decide_selection(
            session,
            actor=make.manager(),
            meeting_id=sitting.meeting.id,
            outcomes=departing,
            render=decision_pdf,
            number="45/QĐ-QKHCN",
        )
    session.commit()
    assert [session.get(Proposal, p.id).status for p in proposals] == [
        "funded",
        "not_funded",
        "funded",
    ]
    lines = session.exec(
        select(CouncilDecisionLine).where(CouncilDecisionLine.decision_id == decision.id)
    ).all()
    assert [(ln.recommendation, ln.outcome, bool(ln.departure_reason)) for ln in lines] == [
        ("select", "funded", False),
        ("select_with_changes", "not_funded", True),
        ("do_not_select", "funded", True),
    ]
    note = session.exec(select(Decision).where(Decision.proposal_id == proposals[1].id)).one()
    assert "Trùng lặp với nhiệm vụ cấp bộ" in note.note
    text = "\n".join(p.extract_text() for p in PdfReader(BytesIO(decision.pdf)).pages)
    for expected in (
        "45/QĐ-QKHCN",
        "Pin natri-ion",
        "Trùng lặp với nhiệm vụ cấp bộ đang thực hiện",
        "Ưu tiên công nghệ chiến lược",
        "Hội đồng selection số 7",
    ):
        assert expected.replace(" ", "") in "".join(text.split()), expected  # wrapped cells
    assert len(decision.sha256) == 64
    with pytest.raises(InvalidTransition):  # decided once
        decide_selection(
            session,
            actor=make.manager(),
            meeting_id=sitting.meeting.id,
            outcomes=departing,
            render=data.fake_pdf,
        )


def test_an_item_without_conclusion_is_decided_only_with_a_reason(make, session):
    call = make.call()
    proposal = make.proposal(pi=make.user("applicant"), call=call, submit=True)
    sitting = data.sitting(session, make, fund_id=call.fund_id, call_id=call.id)
    tied = data.item(
        session,
        sitting,
        proposal_id=proposal.id,
        conclusion="no_conclusion",
        tallies={"select": 3, "do_not_select": 3},
    )
    data.signed_minutes(session, sitting)
    session.commit()
    with pytest.raises(RuleViolation):
        decide_selection(
            session,
            actor=make.manager(),
            meeting_id=sitting.meeting.id,
            outcomes={tied.id: ("not_funded", " ")},
            render=data.fake_pdf,
        )
    session.rollback()
    decide_selection(
        session,
        actor=make.manager(),
        meeting_id=sitting.meeting.id,
        outcomes={tied.id: ("not_funded", "Hội đồng hòa phiếu; ngân sách không đủ")},
        render=data.fake_pdf,
    )
    assert session.get(Proposal, proposal.id).status == "not_funded"


def test_a_call_with_a_selection_council_is_not_decided_by_the_funding_line(
    make, session, selection
):
    call, _sitting, _p, _items = selection
    with pytest.raises(InvalidTransition):
        apply_funding_line(session, actor=make.manager(), call_id=call.id)


def test_only_the_funds_managers_decide(make, session, selection):
    _call, sitting, _p, items = selection
    data.signed_minutes(session, sitting)
    session.commit()
    with pytest.raises(NotAllowed):
        decide_selection(
            session,
            actor=sitting.chair,
            meeting_id=sitting.meeting.id,
            outcomes={i.id: ("funded", "") for i in items},
            render=data.fake_pdf,
        )


# --- acceptance and mid-term -----------------------------------------------------------


@pytest.fixture
def project(make, session):
    """A contract of 1 Mar 2025 (Resolution 193/2025/QH15): 1,000 M paid, 900 M used."""

    def build(*, contract=date(2025, 3, 1), report=True):
        pi = make.user("applicant")
        proposal = make.proposal(pi=pi, submit=True, title="Pin natri-ion")
        record_decision(session, actor=make.manager(), proposal_id=proposal.id, outcome="funded")
        award = svc.create_award(
            session,
            actor=make.manager(),
            proposal_id=proposal.id,
            contract_number=f"HD-{proposal.id}",
            contract_date=contract,
            start_date=date(2025, 3, 15),
            end_date=date(2026, 12, 31),
        )
        session.add(
            Movement(
                award_id=award.id,
                kind="tranche",
                amount_vnd=1_000_000_000,
                fiscal_year=2026,
                status="paid",
            )
        )
        session.flush()
        if report:
            co.submit_final_report(
                session, actor=pi, award_id=award.id, text="Tổng kết", used_vnd=900_000_000
            )
        session.commit()
        return award, pi, proposal

    return build


def _acceptance(session, make, award, proposal, conclusion, *, sign=True):
    sitting = data.sitting(
        session, make, fund_id=proposal.call.fund_id, kind="acceptance", award_id=award.id
    )
    item = data.item(
        session,
        sitting,
        award_id=award.id,
        conclusion=conclusion,
        tallies={conclusion: 6} if conclusion != "no_conclusion" else {"pass": 3, "fail": 3},
        requested_changes="Bổ sung số liệu đo kiểm",
    )
    if sign:
        data.signed_minutes(session, sitting)
    session.commit()
    return sitting, item


FAILED = Evaluation(
    Rating.PASS,  # replaced by the council's conclusion
    ALL_YES,
    evidence="Biên bản kiểm tra giữa kỳ số 12",
    conclusion="Đúng quy trình",
)


@pytest.mark.parametrize(
    "conclusion, rating, outcome, refund",
    [
        ("fail", "fail", "compliant_failure", 100_000_000),  # Res. 193 Art. 4: unused only
        ("pass", "pass", "success", 100_000_000),  # the unused balance returns
        ("excellent", "excellent", "success", 100_000_000),
    ],
)
def test_acceptance_refunds_follow_the_councils_conclusion(
    make, session, project, conclusion, rating, outcome, refund
):
    """Issue 14 §7: consequences follow the acceptance council, not one person's rating."""
    award, pi, proposal = project()
    record_self_evaluation(
        session, actor=pi, award_id=award.id, rating="pass", evidence="Báo cáo tự đánh giá"
    )
    sitting, item = _acceptance(session, make, award, proposal, conclusion)
    closeout = close_from_council(session, actor=make.manager(), item_id=item.id, evaluation=FAILED)
    session.commit()
    assert (closeout.rating, closeout.outcome, closeout.refund_vnd) == (rating, outcome, refund)
    assert sitting.council.name in closeout.conclusion
    assert "sha256=" in closeout.conclusion
    assert "Bổ sung số liệu đo kiểm" in closeout.conclusion
    assert session.get(Award, award.id).status == "closed"
    line = session.exec(
        select(CouncilDecisionLine).where(CouncilDecisionLine.item_id == item.id)
    ).one()
    assert (line.recommendation, line.outcome) == (conclusion, outcome)


def test_acceptance_waits_for_the_self_evaluation_a_conclusion_and_signed_minutes(
    make, session, project
):
    award, pi, proposal = project()
    _s, item = _acceptance(session, make, award, proposal, "pass")
    with pytest.raises(InvalidTransition):  # no self-evaluation yet
        close_from_council(session, actor=make.manager(), item_id=item.id, evaluation=FAILED)
    record_self_evaluation(
        session, actor=pi, award_id=award.id, rating="excellent", evidence="Báo cáo"
    )
    _s, tied = _acceptance(session, make, award, proposal, "no_conclusion")
    with pytest.raises(InvalidTransition):
        close_from_council(session, actor=make.manager(), item_id=tied.id, evaluation=FAILED)
    _s, unsigned = _acceptance(session, make, award, proposal, "pass", sign=False)
    with pytest.raises(InvalidTransition):
        close_from_council(session, actor=make.manager(), item_id=unsigned.id, evaluation=FAILED)
    with pytest.raises(NotAllowed):  # only the PI records the self-evaluation
        record_self_evaluation(
            session, actor=make.manager(), award_id=award.id, rating="pass", evidence="x"
        )


def test_a_failed_acceptance_still_needs_the_regimes_answers(make, session, project):
    """Law 93/2025/QH15 Art. 9: the four conditions are answered, never defaulted."""
    award, pi, proposal = project()
    record_self_evaluation(session, actor=pi, award_id=award.id, rating="pass", evidence="x")
    _s, item = _acceptance(session, make, award, proposal, "fail")
    with pytest.raises(RuleViolation):
        close_from_council(
            session, actor=make.manager(), item_id=item.id, evaluation=Evaluation(Rating.PASS)
        )


def test_a_midterm_stop_ends_the_project_under_its_regime(make, session, project):
    """Law 93/2025/QH15 Art. 9 contract: stopped after 1,000 M paid and 600 M used; a compliant
    failure returns the unused 400 M."""
    award, _pi, proposal = project(contract=date(2025, 11, 1), report=False)
    sitting = data.sitting(
        session, make, fund_id=proposal.call.fund_id, kind="midterm", award_id=award.id
    )
    keep = data.item(session, sitting, award_id=award.id, conclusion="continue")
    data.signed_minutes(session, sitting)
    session.commit()
    with pytest.raises(InvalidTransition):
        stop_from_council(
            session, actor=make.manager(), item_id=keep.id, used_vnd=0, evaluation=FAILED
        )
    other = data.sitting(
        session, make, fund_id=proposal.call.fund_id, kind="midterm", award_id=award.id
    )
    stop = data.item(session, other, award_id=award.id, conclusion="stop", dissent="Một ý kiến")
    data.signed_minutes(session, other)
    session.commit()
    closeout = stop_from_council(
        session, actor=make.manager(), item_id=stop.id, used_vnd=600_000_000, evaluation=FAILED
    )
    session.commit()
    assert (closeout.rating, closeout.outcome, closeout.refund_vnd) == (
        "fail",
        "compliant_failure",
        400_000_000,
    )
    assert closeout.regime_code == "law93"
    assert session.get(Award, award.id).status == "closed"
    moves = session.exec(
        select(AuditEntry.action, AuditEntry.to_state).where(
            AuditEntry.object_type == "award", AuditEntry.object_id == award.id
        )
    ).all()
    assert ("stop", "stopped") in moves
    assert ("close", "compliant_failure") in moves


def test_a_seat_on_the_projects_council_lets_the_member_see_the_project(make, session, project):
    """The seat is read by funds through the table (funds does not import reviews)."""
    award, _pi, proposal = project()
    sitting = data.sitting(
        session, make, fund_id=proposal.call.fund_id, kind="acceptance", award_id=award.id
    )
    session.commit()
    member = session.get(User, sitting.users[4].id)
    assert svc.on_council(session, award.id, member.id)
    assert svc.get_project_for(session, award_id=award.id, actor=member)[0].id == award.id
    assert not svc.on_council(session, award.id, make.user("reviewer").id)
    sitting.seats[4].active = False
    session.add(sitting.seats[4])
    session.commit()
    assert not svc.on_council(session, award.id, member.id)


def test_a_closeout_is_confirmed_only_on_the_outcome_previewed(make, session, project):
    """The manager confirms what the preview showed: a confirmation without it, or with the
    fingerprint of another outcome, is refused and nothing closes."""
    award, pi, proposal = project()
    record_self_evaluation(
        session, actor=pi, award_id=award.id, rating="pass", evidence="Báo cáo tự đánh giá"
    )
    _sitting, item = _acceptance(session, make, award, proposal, "fail")
    manager = make.manager()
    for wrong in ("", "0" * 32):
        with pytest.raises(RuleViolation):
            close_from_council(
                session, actor=manager, item_id=item.id, evaluation=FAILED, previewed=wrong
            )
    shown = preview_from_council(session, actor=manager, item_id=item.id, evaluation=FAILED)
    closeout = close_from_council(
        session, actor=manager, item_id=item.id, evaluation=FAILED, previewed=shown.fingerprint
    )
    assert (closeout.outcome, closeout.refund_vnd) == (shown.outcome, shown.refund_vnd)
