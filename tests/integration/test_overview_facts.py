"""The timeline's facts and the managers' overview read from a real database (SQLite and
PostgreSQL): council meetings, projects, reports, change requests and the audit log."""

from datetime import date, timedelta

import pytest

from funds import audit
from funds.clock import utcnow
from funds.errors import NotFound
from funds.projects import services as project_svc
from funds.projects.models import AwardStatus
from funds.proposals.services import record_decision
from funds.timeline.queries import timeline_for
from funds.timeline.rules import Step, day_end
from reviews.councils.meetings.models import Meeting, MeetingItem
from reviews.councils.models import Council
from reviews.overview.queries import overview_for
from reviews.overview.rules import Waiting


def _counts(overview, call_id):
    return next(r.counts for r in overview.calls if r.call.id == call_id)


def test_a_proposal_on_a_council_agenda_waits_for_the_meeting(make, session):
    pi = make.user("applicant")
    call = make.call()
    proposal = make.proposal(pi=pi, call=call, submit=True)
    make.assignment(proposal=proposal)
    manager = make.manager()
    council = Council(
        fund_id=call.fund_id,
        kind="selection",
        name="Hội đồng",
        call_id=call.id,
        created_by=manager.id,
    )
    session.add(council)
    session.flush()
    starts = utcnow() + timedelta(days=2)
    meeting = Meeting(council_id=council.id, starts_at=starts, created_by=manager.id)
    session.add(meeting)
    session.flush()
    session.add(MeetingItem(meeting_id=meeting.id, proposal_id=proposal.id))
    session.commit()
    t = timeline_for(session, proposal_id=proposal.id, actor=pi, now=utcnow())
    assert t.current == Step.COUNCIL
    assert t.next.deadline == starts
    counts = _counts(overview_for(session, actor=manager, now=utcnow()), call.id)
    assert counts["in_council"] == 1
    assert counts["under_review"] == 0


def test_a_running_project_reports_and_its_report_waits_for_the_manager(make, session):
    pi = make.user("applicant")
    call = make.call()
    proposal = make.proposal(pi=pi, call=call, submit=True)
    manager = make.manager()
    record_decision(session, actor=manager, proposal_id=proposal.id, outcome="funded")
    today = utcnow().date()
    award = project_svc.create_award(
        session,
        actor=manager,
        proposal_id=proposal.id,
        contract_number="HD-TL-1",
        contract_date=today - timedelta(days=200),
        start_date=today - timedelta(days=190),
        end_date=today + timedelta(days=500),
    )
    milestone = project_svc.add_milestone(
        session,
        actor=manager,
        award_id=award.id,
        owner="PI",
        task="Thiết kế",
        due_date=today + timedelta(days=30),
        deliverable="Bản vẽ",
        tranche_vnd=100_000_000,
    )
    session.commit()
    t = timeline_for(session, proposal_id=proposal.id, actor=pi, now=utcnow())
    assert t.current == Step.REPORTING
    assert t.next.deadline is not None
    assert [line.at for line in t.steps if line.step == Step.CONTRACTED] == [award.contract_date]
    project_svc.submit_progress_report(
        session,
        actor=pi,
        award_id=award.id,
        milestone_id=milestone.id,
        progress="Đúng tiến độ",
        spending_vnd=10_000_000,
    )
    session.commit()
    overview = overview_for(session, actor=manager, now=utcnow())
    assert _counts(overview, call.id)["reporting"] == 1
    waiting = [(w.kind, w.object_id) for w in overview.waiting]
    assert (Waiting.REPORT_TO_EVALUATE, award.id) in waiting
    # closed: the date comes from the audit log
    award.status = AwardStatus.CLOSED
    session.add(award)
    audit.record(
        session,
        actor_id=manager.id,
        object_type="award",
        object_id=award.id,
        action="close",
        from_state="active",
        to_state="closed",
    )
    session.commit()
    t = timeline_for(session, proposal_id=proposal.id, actor=pi, now=utcnow())
    assert t.current == Step.CLOSED
    assert t.next is None
    assert _counts(overview_for(session, actor=manager, now=utcnow()), call.id)["closed"] == 1


def test_review_due_dates_are_read_as_calendar_days(make, session):
    pi = make.user("applicant")
    proposal = make.proposal(pi=pi, submit=True)
    a = make.assignment(proposal=proposal)
    a.due_on = date(2099, 1, 31)
    session.add(a)
    session.commit()
    t = timeline_for(session, proposal_id=proposal.id, actor=pi, now=utcnow())
    assert t.current == Step.UNDER_REVIEW
    assert t.next.deadline == day_end(date(2099, 1, 31))


def test_an_endorsement_awaited_then_expired_is_counted_and_waits_for_the_manager(make, session):
    call = make.call(requires_endorsement=True, endorsement_days=5)
    pi = make.user("applicant")
    proposal = make.proposal(pi=pi, call=call, host_id=make.host().id, submit=True)
    manager = make.manager()
    t = timeline_for(session, proposal_id=proposal.id, actor=pi, now=utcnow())
    assert Step.ENDORSED in [line.step for line in t.steps]
    assert t.current == Step.SUBMITTED
    assert t.next.deadline is not None
    overview = overview_for(session, actor=manager, now=utcnow())
    assert _counts(overview, call.id)["awaiting_endorsement"] == 1
    assert overview.waiting == []
    later = utcnow() + timedelta(days=90)  # the call closes, then its endorsement days
    overview = overview_for(session, actor=manager, now=later)
    assert [(w.kind, w.object_id) for w in overview.waiting] == [
        (Waiting.ENDORSEMENT_EXPIRED, proposal.id)
    ]


def test_a_timeline_is_nobody_elses(make, session):
    draft = make.proposal()
    for outsider in (make.user("applicant"), make.manager()):  # a draft is not the fund's yet
        with pytest.raises(NotFound):
            timeline_for(session, proposal_id=draft.id, actor=outsider, now=utcnow())
    with pytest.raises(NotFound):
        timeline_for(session, proposal_id=10**6, actor=make.manager(), now=utcnow())
