"""Two-stage calls on a real database: the review, ranking, council and letter machinery work
on pre-proposals as on full proposals, never mixing the two; the full proposal inherits the
outline and its team; endorsement and per-PI limits follow the stage."""

import json
from datetime import timedelta

import pytest
from sqlmodel import select

from funds.accounts.models import User
from funds.clock import to_local, utcnow
from funds.compliance.services import acknowledge_slate
from funds.errors import NotAllowed, NotFound, RuleViolation
from funds.hosts.models import Endorsement
from funds.letters.services import send_decisions
from funds.notifications.models import Notification
from funds.profiles.models import CoInvestigator
from funds.proposals.models import Proposal
from funds.proposals.queries import decision_for
from funds.proposals.services import record_decision, update_draft
from funds.proposals.team import add_member, confirm_membership
from funds.stages.services import start_full_proposal
from funds.submission import services as submission_svc
from reviews.consolidation.services import apply_funding_line, call_ranking
from reviews.councils.decisions.services import decide_selection
from reviews.pool.services import accept_confidentiality
from reviews.reviewing.services import declare_conflict, save_review
from tests import council_minutes_data as data
from tests.factories import complete_sections


def two_stage_call(make, **kw):
    return make.call(two_stage=True, full_closes_at=utcnow() + timedelta(days=90), **kw)


def outline(make, call, *, pi=None, title="Pin natri", requested_vnd=1_000_000_000):
    return make.proposal(
        pi=pi or make.user("applicant"),
        call=call,
        submit=True,
        bare=True,
        title=title,
        title_en="EN",
        keywords="k",
        requested_vnd=requested_vnd,
    )


def reviewed(make, session, proposal, score: int) -> None:
    reviewer = make.user("reviewer")
    assignment = make.assignment(proposal=proposal, reviewer=reviewer)
    accept_confidentiality(session, actor=reviewer)
    declare_conflict(session, actor=reviewer, assignment_id=assignment.id, has_conflict=False)
    save_review(
        session,
        actor=reviewer,
        assignment_id=assignment.id,
        score=score,
        comment="Ổn.",
        submit=True,
    )
    session.commit()


def invite(make, session, call, proposals) -> None:
    ids = [decision_for(session, p.id).id for p in proposals]
    send_decisions(session, actor=make.manager(), call_id=call.id, decision_ids=ids)
    session.commit()


def pi_of(session, proposal):
    return session.get(User, proposal.pi_id)


def test_the_funding_line_shortlists_outlines_then_ranks_only_full_proposals(make, session):
    call = two_stage_call(make, budget_vnd=2_000_000_000)
    strong = outline(make, call, title="Mạnh", requested_vnd=1_500_000_000)
    weak = outline(make, call, title="Yếu", requested_vnd=1_500_000_000)
    reviewed(make, session, strong, 9)
    reviewed(make, session, weak, 3)
    assert apply_funding_line(session, actor=make.manager(), call_id=call.id) == 2
    session.commit()
    assert (strong.status, weak.status) == ("shortlisted", "not_shortlisted")

    invite(make, session, call, [strong, weak])
    full = start_full_proposal(session, actor=pi_of(session, strong), outline_id=strong.id)
    update_draft(
        session,
        actor=pi_of(session, strong),
        proposal_id=full.id,
        expected_version=full.version_id,
        values=complete_sections(1_500_000_000, to_local(call.closes_at).year),
    )
    submission_svc.submit_proposal(session, actor=pi_of(session, strong), proposal_id=full.id)
    session.commit()
    reviewed(make, session, full, 7)
    snapshot = json.loads(submission_svc.current_submission(session, full.id).snapshot)
    assert (snapshot["proposal"]["stage"], snapshot["proposal"]["outline_id"]) == (
        "full",
        strong.id,
    )
    ranked = [row.proposal_id for row in call_ranking(session, call.id).rows]
    assert ranked == [full.id]  # the outlines' reviews and envelopes stay out of the line
    acknowledge_slate(  # funding (not shortlisting) meets the strategic floor's check
        session,
        actor=make.manager(),
        proposal_ids=[full.id],
        years_below=[],
        summary={},
        note="Quỹ chấp nhận",
    )
    assert apply_funding_line(session, actor=make.manager(), call_id=call.id) == 1
    session.commit()
    assert session.get(Proposal, full.id).status == "funded"


def test_a_full_proposal_is_never_shortlisted(make, session):
    call = two_stage_call(make)
    shortlisted = outline(make, call)
    record_decision(session, actor=make.manager(), proposal_id=shortlisted.id, outcome="funded")
    invite(make, session, call, [shortlisted])
    pi = pi_of(session, shortlisted)
    full = start_full_proposal(session, actor=pi, outline_id=shortlisted.id)
    session.commit()
    assert shortlisted.status == "shortlisted"  # "funded" on an outline means shortlisted
    full.status = "submitted"
    session.commit()
    with pytest.raises(RuleViolation):
        record_decision(session, actor=make.manager(), proposal_id=full.id, outcome="shortlisted")


def test_the_full_proposal_keeps_the_confirmed_team_and_reinvites_the_others(make, session):
    call = two_stage_call(make)
    pi = make.user("applicant")
    draft = make.proposal(pi=pi, call=call, bare=True, title_en="EN", keywords="k")
    confirmed = make.user("applicant", email="xac.nhan@example.org")
    kept = add_member(
        session, actor=pi, proposal_id=draft.id, name="Chị Xác Nhận", email=confirmed.email
    )
    confirm_membership(session, actor=confirmed, token=kept.confirm_token)
    add_member(session, actor=pi, proposal_id=draft.id, name="Anh Chờ", email="cho@example.org")
    submission_svc.submit_proposal(session, actor=pi, proposal_id=draft.id)
    record_decision(session, actor=make.manager(), proposal_id=draft.id, outcome="shortlisted")
    invite(make, session, call, [draft])
    full = start_full_proposal(session, actor=pi, outline_id=draft.id)
    session.commit()
    team = {
        m.email: m
        for m in session.exec(
            select(CoInvestigator).where(CoInvestigator.proposal_id == full.id)
        ).all()
    }
    assert team["xac.nhan@example.org"].confirmed_at is not None
    assert team["cho@example.org"].confirmed_at is None
    assert team["cho@example.org"].confirm_token  # a new link, for the full proposal
    invitations = session.exec(
        select(Notification).where(
            Notification.kind == "coinvestigator_invitation",
            Notification.email == "cho@example.org",
        )
    ).all()
    assert len(invitations) == 2  # the outline's, and the full proposal's


def test_only_the_pi_of_an_invited_outline_starts_its_full_proposal(make, session):
    call = two_stage_call(make)
    p = outline(make, call)
    pi = pi_of(session, p)
    record_decision(session, actor=make.manager(), proposal_id=p.id, outcome="shortlisted")
    session.commit()
    with pytest.raises(NotAllowed):  # shortlisted, but its letter is not out yet
        start_full_proposal(session, actor=pi, outline_id=p.id)
    invite(make, session, call, [p])
    with pytest.raises(NotFound):
        start_full_proposal(session, actor=make.user("applicant"), outline_id=p.id)
    full = start_full_proposal(session, actor=pi, outline_id=p.id)
    assert start_full_proposal(session, actor=pi, outline_id=p.id).id == full.id


def test_the_host_endorses_the_full_proposal_not_the_outline(make, session):
    host = make.host()
    call = two_stage_call(make, requires_endorsement=True)
    pi = make.user("applicant")
    p = make.proposal(
        pi=pi, call=call, submit=True, bare=True, title_en="EN", keywords="k", host_id=host.id
    )
    session.commit()
    assert session.exec(select(Endorsement).where(Endorsement.proposal_id == p.id)).all() == []
    record_decision(session, actor=make.manager(), proposal_id=p.id, outcome="shortlisted")
    invite(make, session, call, [p])
    full = start_full_proposal(session, actor=pi, outline_id=p.id)
    assert full.host_id == host.id
    update_draft(
        session,
        actor=pi,
        proposal_id=full.id,
        expected_version=full.version_id,
        values=complete_sections(1_000_000_000, to_local(call.closes_at).year),
    )
    submission_svc.submit_proposal(session, actor=pi, proposal_id=full.id)
    session.commit()
    endorsement = session.exec(select(Endorsement).where(Endorsement.proposal_id == full.id)).one()
    assert endorsement.due_at > call.full_closes_at  # counted from the full stage's deadline


def test_the_per_pi_limit_counts_each_stage_apart(make, session):
    call = two_stage_call(make, max_proposals_per_pi=1)
    pi = make.user("applicant")
    p = outline(make, call, pi=pi)
    second = make.proposal(pi=pi, call=call, bare=True, title_en="EN", keywords="k")
    with pytest.raises(RuleViolation):
        submission_svc.submit_proposal(session, actor=pi, proposal_id=second.id)
    session.rollback()
    record_decision(session, actor=make.manager(), proposal_id=p.id, outcome="shortlisted")
    invite(make, session, call, [p])
    full = start_full_proposal(session, actor=pi, outline_id=p.id)
    update_draft(
        session,
        actor=pi,
        proposal_id=full.id,
        expected_version=full.version_id,
        values=complete_sections(1_000_000_000, to_local(call.closes_at).year),
    )
    submission_svc.submit_proposal(session, actor=pi, proposal_id=full.id)  # not a second one
    session.commit()
    assert session.get(Proposal, full.id).status == "submitted"


def test_a_selection_council_shortlists_outlines_by_its_recommendations(make, session):
    call = two_stage_call(make)
    proposals = [outline(make, call, title=t) for t in ("Pin natri-ion", "Vật liệu nano")]
    sitting = data.sitting(session, make, fund_id=call.fund_id, call_id=call.id)
    items = [
        data.item(session, sitting, proposal_id=p.id, conclusion=c, rank=n)
        for n, (p, c) in enumerate(zip(proposals, ("select", "do_not_select"), strict=True), 1)
    ]
    data.signed_minutes(session, sitting)
    session.commit()
    decide_selection(
        session,
        actor=make.manager(),
        meeting_id=sitting.meeting.id,
        outcomes={items[0].id: ("funded", ""), items[1].id: ("not_funded", "")},
        render=data.fake_pdf,
    )
    session.commit()
    assert [session.get(Proposal, p.id).status for p in proposals] == [
        "shortlisted",
        "not_shortlisted",
    ]
