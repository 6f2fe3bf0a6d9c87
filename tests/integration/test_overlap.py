"""Duplicate and overlapping work across funds: a near-duplicate proposal in another fund is
flagged and a distinct one is not; the register takes part; each fund sees what it may of the
other's proposal; decisions are audited; the fund's limits per person hold at submission."""

from datetime import date

import pytest
from sqlmodel import select

from funds.audit.models import AuditEntry
from funds.errors import NotAllowed, NotFound, RuleViolation
from funds.limits.services import save_fund_limits
from funds.projects import services as projects
from funds.proposals.services import record_decision
from funds.submission.services import submit_proposal
from reviews.overlap import queries
from reviews.overlap.models import OverlapFlag, RegisterTask
from reviews.overlap.register.services import import_register
from reviews.overlap.services import decide_flag, rescreen_proposal, screen_proposal
from tests.overlap_texts import (
    BIOSENSOR,
    BIOSENSOR_REWORDED,
    GAS_SENSOR,
    RICE_DISEASE,
    RICE_DISEASE_REWORDED,
    SHRIMP_FARMING,
    SMART_GRID,
)


def proposal(make, call, texts, *, pi=None, submit=True):
    return make.proposal(call=call, pi=pi, submit=submit, **texts)


@pytest.fixture
def two_funds(make, session):
    """Fund A and fund B, each with its own manager and a call."""
    fund_a, fund_b = make.fund(code="QA", name="Quỹ A"), make.fund(code="QB", name="Quỹ B")
    manager_a, manager_b = make.manager_of(fund_a), make.manager_of(fund_b)
    return {
        "call_a": make.call(fund=fund_a),
        "call_b": make.call(fund=fund_b),
        "manager_a": manager_a,
        "manager_b": manager_b,
    }


def test_a_near_duplicate_in_another_fund_is_flagged_and_distinct_work_is_not(
    make, session, two_funds
):
    earlier = proposal(make, two_funds["call_b"], BIOSENSOR)
    neighbour = proposal(make, two_funds["call_b"], GAS_SENSOR)
    other_field = proposal(make, two_funds["call_b"], SMART_GRID)
    screened = proposal(make, two_funds["call_a"], BIOSENSOR_REWORDED)
    flags = screen_proposal(session, proposal_id=screened.id)
    session.commit()
    assert [f.other_proposal_id for f in flags] == [earlier.id]
    assert flags[0].score > 0.7
    assert flags[0].threshold_pct == 50
    assert neighbour.id not in {f.other_proposal_id for f in flags}
    assert other_field.id not in {f.other_proposal_id for f in flags}
    audit = session.exec(select(AuditEntry).where(AuditEntry.action == "screen_overlap")).one()
    assert audit.object_id == screened.id


def test_a_near_duplicate_written_in_english_is_flagged_and_distinct_work_is_not(
    make, session, two_funds
):
    earlier = proposal(make, two_funds["call_b"], RICE_DISEASE)
    proposal(make, two_funds["call_b"], SHRIMP_FARMING)
    screened = proposal(make, two_funds["call_a"], RICE_DISEASE_REWORDED)
    found = screen_proposal(session, proposal_id=screened.id)
    assert [f.other_proposal_id for f in found] == [earlier.id]


def test_drafts_and_proposals_not_funded_are_not_compared(make, session, two_funds):
    proposal(make, two_funds["call_b"], BIOSENSOR, submit=False)
    rejected = proposal(make, two_funds["call_b"], BIOSENSOR)
    record_decision(session, actor=make.manager(), proposal_id=rejected.id, outcome="not_funded")
    screened = proposal(make, two_funds["call_a"], BIOSENSOR_REWORDED)
    assert screen_proposal(session, proposal_id=screened.id) == []


def test_a_task_of_the_register_is_compared_too(make, session, two_funds):
    csv = (
        "code,title,title_en,summary,keywords,host\n"
        f'KC.10/24,{BIOSENSOR["title"]},{BIOSENSOR["title_en"]},"{BIOSENSOR["abstract"]}",'
        "cảm biến sinh học,Viện Hàn lâm\n"
        f"KC.11/24,{SMART_GRID['title']},,,,\n"
    )
    result = import_register(session, actor=two_funds["manager_a"], data=csv.encode())
    assert (result.added, result.updated, result.errors) == (2, 0, [])
    screened = proposal(make, two_funds["call_a"], BIOSENSOR_REWORDED)
    flags = screen_proposal(session, proposal_id=screened.id)
    task = session.exec(select(RegisterTask).where(RegisterTask.code == "KC.10/24")).one()
    assert [(f.register_task_id, f.other_proposal_id) for f in flags] == [(task.id, None)]
    again = import_register(session, actor=two_funds["manager_a"], data=csv.encode())
    assert (again.added, again.updated) == (0, 2)


def test_applicants_cannot_import_the_register(make, session):
    with pytest.raises(NotAllowed):
        import_register(session, actor=make.user("applicant"), data=b"code,title\nA,B\n")


def test_each_fund_sees_the_pair_and_only_the_title_and_host_of_the_others_proposal(
    make, session, two_funds
):
    pi = make.user("applicant", institution="Trường Đại học Bách khoa")
    earlier = proposal(make, two_funds["call_b"], BIOSENSOR, pi=pi)
    screened = proposal(make, two_funds["call_a"], BIOSENSOR_REWORDED, pi=pi)
    screen_proposal(session, proposal_id=screened.id)
    session.commit()
    (row_a,) = queries.flags_for_manager(session, two_funds["manager_a"])
    assert row_a.other.title == earlier.title
    assert row_a.other.host == "Trường Đại học Bách khoa"
    assert row_a.other.fund == "Quỹ B"
    assert row_a.other.abstract is None
    assert row_a.other.proposal_id is None
    assert row_a.screened.abstract == screened.abstract
    assert row_a.same_pi is True
    assert row_a.can_decide
    (row_b,) = queries.flags_for_manager(session, two_funds["manager_b"])
    assert row_b.screened.abstract is None
    assert row_b.other.abstract == earlier.abstract
    assert not row_b.can_decide
    outsider = make.manager_of(make.fund(code="QC"))
    assert queries.flags_for_manager(session, outsider) == []
    with pytest.raises(NotFound):
        queries.flag_for(session, row_a.flag.id, outsider)


def test_a_funded_projects_abstract_is_shown_to_the_other_fund(make, session, two_funds):
    earlier = proposal(make, two_funds["call_b"], BIOSENSOR)
    record_decision(session, actor=make.manager(), proposal_id=earlier.id, outcome="funded")
    screened = proposal(make, two_funds["call_a"], BIOSENSOR_REWORDED)
    screen_proposal(session, proposal_id=screened.id)
    (row,) = queries.flags_for_manager(session, two_funds["manager_a"])
    assert row.other.kind == "project"
    assert row.other.abstract == earlier.abstract


def test_the_decision_is_recorded_audited_and_kept_when_screened_again(make, session, two_funds):
    proposal(make, two_funds["call_b"], BIOSENSOR)
    screened = proposal(make, two_funds["call_a"], BIOSENSOR_REWORDED)
    (flag,) = screen_proposal(session, proposal_id=screened.id)
    with pytest.raises(NotAllowed):
        decide_flag(session, actor=two_funds["manager_b"], flag_id=flag.id, decision="duplicate")
    with pytest.raises(RuleViolation):
        decide_flag(session, actor=two_funds["manager_a"], flag_id=flag.id, decision="maybe")
    decide_flag(
        session,
        actor=two_funds["manager_a"],
        flag_id=flag.id,
        decision="overlapping",
        note="Cùng nhóm nghiên cứu, phạm vi khác.",
    )
    session.commit()
    rescreen_proposal(session, actor=two_funds["manager_a"], proposal_id=screened.id)
    session.commit()
    (kept,) = session.exec(select(OverlapFlag)).all()
    assert (kept.decision, kept.note) == ("overlapping", "Cùng nhóm nghiên cứu, phạm vi khác.")
    entry = session.exec(select(AuditEntry).where(AuditEntry.object_type == "overlap_flag")).one()
    assert (entry.actor_id, entry.to_state) == (two_funds["manager_a"].id, "overlapping")


def test_the_funds_threshold_decides_what_is_flagged(make, session, two_funds):
    proposal(make, two_funds["call_b"], BIOSENSOR)
    screened = proposal(make, two_funds["call_a"], BIOSENSOR_REWORDED)
    fund_a = two_funds["call_a"].fund_id
    values = {"max_led_proposals": 0, "max_active_projects": 0, "overlap_threshold_pct": 100}
    save_fund_limits(session, actor=two_funds["manager_a"], fund_id=fund_a, values=values)
    assert screen_proposal(session, proposal_id=screened.id) == []


def test_a_limit_on_proposals_led_across_funds_refuses_the_next_submission(
    make, session, two_funds
):
    pi = make.user("applicant")
    proposal(make, two_funds["call_b"], SMART_GRID, pi=pi)
    fund_a = two_funds["call_a"].fund_id
    values = {"max_led_proposals": 1, "max_active_projects": 0, "overlap_threshold_pct": 50}
    save_fund_limits(session, actor=two_funds["manager_a"], fund_id=fund_a, values=values)
    draft = proposal(make, two_funds["call_a"], GAS_SENSOR, pi=pi, submit=False)
    with pytest.raises(RuleViolation) as refused:
        submit_proposal(session, actor=pi, proposal_id=draft.id)
    assert [v.message for v in refused.value.violations] == [
        "You already lead %(count)s submitted proposal(s) across the portal's funds; "
        "this fund allows a person to lead at most %(limit)s at once."
    ]
    session.rollback()
    other_pi = make.user("applicant")
    fine = proposal(make, two_funds["call_a"], GAS_SENSOR, pi=other_pi, submit=False)
    assert submit_proposal(session, actor=other_pi, proposal_id=fine.id).status == "submitted"


def test_a_limit_on_projects_in_progress_counts_active_awards(make, session, two_funds):
    pi = make.user("applicant")
    funded = proposal(make, two_funds["call_b"], SMART_GRID, pi=pi)
    record_decision(session, actor=make.manager(), proposal_id=funded.id, outcome="funded")
    projects.create_award(
        session,
        actor=make.manager(),
        proposal_id=funded.id,
        contract_number="HD-OVERLAP-1",
        contract_date=date(2026, 1, 10),
        start_date=date(2026, 1, 15),
        end_date=date(2027, 12, 31),
    )
    fund_a = two_funds["call_a"].fund_id
    values = {"max_led_proposals": 0, "max_active_projects": 1, "overlap_threshold_pct": 50}
    save_fund_limits(session, actor=two_funds["manager_a"], fund_id=fund_a, values=values)
    session.commit()
    draft = proposal(make, two_funds["call_a"], GAS_SENSOR, pi=pi, submit=False)
    with pytest.raises(RuleViolation) as refused:
        submit_proposal(session, actor=pi, proposal_id=draft.id)
    assert refused.value.violations[0].params == {"count": 1, "limit": 1}


def test_only_the_funds_managers_set_its_limits_within_range(make, session, two_funds):
    fund_a = two_funds["call_a"].fund_id
    values = {"max_led_proposals": 2, "max_active_projects": 1, "overlap_threshold_pct": 50}
    with pytest.raises(NotAllowed):
        save_fund_limits(session, actor=two_funds["manager_b"], fund_id=fund_a, values=values)
    with pytest.raises(RuleViolation):
        save_fund_limits(
            session,
            actor=two_funds["manager_a"],
            fund_id=fund_a,
            values={**values, "overlap_threshold_pct": 101},
        )
