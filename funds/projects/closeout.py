"""Final report, acceptance evaluation and closeout (Law 93/2025/QH15 Art. 9)."""

from datetime import date

from sqlmodel import Session, select

from funds import audit
from funds.accounts.models import User
from funds.clock import utcnow
from funds.errors import N_, InvalidTransition, NotAllowed, NotFound, RuleViolation
from funds.projects import rules
from funds.projects.models import Award, AwardStatus, Closeout, CouncilMember
from funds.projects.permissions import can_evaluate, can_file_report, final_report_status_of
from funds.projects.rules import AWARD, FINAL_REPORT, FinalReportStatus
from funds.projects.services import disbursed_in, get_project_for, managed_project, on_council
from funds.proposals.models import Proposal

RISK_CATEGORIES = ("research_technology", "controlled_testing", "venture_investment", "other")


def closeout_of(session: Session, award_id: int) -> Closeout | None:
    return session.exec(select(Closeout).where(Closeout.award_id == award_id)).first()


def add_council_member(
    session: Session, *, actor: User, award_id: int, user_id: int
) -> CouncilMember:
    """A manager of the fund puts someone on the project's acceptance council."""
    managed_project(session, award_id=award_id, actor=actor)
    member = CouncilMember(award_id=award_id, user_id=user_id)
    session.add(member)
    session.flush()
    audit.record(
        session,
        actor_id=actor.id,
        object_type="award",
        object_id=award_id,
        action="add_council_member",
        detail=f"user {user_id}",
    )
    return member


def submit_final_report(
    session: Session, *, actor: User, award_id: int, text: str, used_vnd: int
) -> Closeout:
    """The PI files the final report with the funds used (due 30 days after the end)."""
    award, proposal = get_project_for(session, award_id=award_id, actor=actor)
    if not can_file_report(award, proposal, actor):
        raise NotAllowed(N_("Only the principal investigator of an active project can report."))
    closeout = closeout_of(session, award.id)
    FINAL_REPORT.check(final_report_status_of(closeout), FinalReportStatus.FILED)
    if not 0 <= used_vnd <= disbursed_in(session, award):
        raise RuleViolation(N_("Funds used lie between 0 and the amount disbursed."))
    closeout = closeout or Closeout(award_id=award.id)
    closeout.final_report, closeout.used_vnd = text.strip(), used_vnd
    closeout.final_report_at = utcnow()
    session.add(closeout)
    session.flush()
    audit.record(
        session,
        actor_id=actor.id,
        object_type="award",
        object_id=award.id,
        action="final_report",
        to_state="final_report",
    )
    return closeout


def evaluate_and_close(
    session: Session,
    *,
    actor: User,
    award_id: int,
    rating: str,
    scores: str = "",
    assessment: rules.RiskAssessment | None = None,
    risk_category: str = "",
    evidence: str = "",
    expert_opinion: str = "",
    lessons_learned: str = "",
    publish_negative_results: bool = False,
    new_regime_from: date = rules.NEW_REGIME_FROM,
) -> Closeout:
    """The acceptance evaluation (nghiệm thu) and its consequences, recorded and closed."""
    award = session.get(Award, award_id)
    proposal = session.get(Proposal, award.proposal_id) if award else None
    if (
        award is None
        or proposal is None
        or not can_evaluate(proposal, actor, on_council=on_council(session, award_id, actor.id))
    ):
        raise NotFound(N_("No such project."))
    closeout = closeout_of(session, award.id)
    if closeout is None or not FINAL_REPORT.can_move(
        final_report_status_of(closeout), FinalReportStatus.EVALUATED
    ):
        raise InvalidTransition(FINAL_REPORT.refusal)
    rating = rules.Rating(rating)
    if rating == rules.Rating.FAIL and assessment is None:
        raise RuleViolation(N_("A failed project needs the risk assessment."))
    if risk_category and risk_category not in RISK_CATEGORIES:
        raise RuleViolation(N_("Unknown risk category."))
    result = rules.consequences(
        rating=rating,
        assessment=assessment,
        disbursed_vnd=disbursed_in(session, award),
        used_vnd=closeout.used_vnd or 0,
        contract_date=award.contract_date,
        new_from=new_regime_from,
    )
    _record(
        closeout,
        rating,
        scores,
        assessment,
        risk_category,
        evidence,
        expert_opinion,
        lessons_learned,
        publish_negative_results,
        result,
    )
    before = AWARD.move(award, AwardStatus.CLOSED)
    session.add_all([closeout, award])
    audit.record(
        session,
        actor_id=actor.id,
        object_type="award",
        object_id=award.id,
        action="close",
        from_state=before,
        to_state=result.outcome,
        detail=f"refund {result.refund_vnd}: {result.basis}",
    )
    session.flush()
    return closeout


def _record(
    closeout,
    rating,
    scores,
    assessment,
    risk_category,
    evidence,
    expert_opinion,
    lessons,
    publish,
    result,
) -> None:
    closeout.rating, closeout.scores = rating, scores
    if assessment is not None:
        closeout.procedures_followed = assessment.procedures_followed
        closeout.no_fraud = assessment.no_fraud
        closeout.no_intentional_breach = assessment.no_intentional_breach
        closeout.funds_within_purpose = assessment.funds_within_purpose
    closeout.risk_category, closeout.evidence = risk_category, evidence
    closeout.expert_opinion, closeout.lessons_learned = expert_opinion, lessons
    closeout.publish_negative_results = publish
    closeout.outcome, closeout.refund_vnd, closeout.basis = (
        result.outcome,
        result.refund_vnd,
        result.basis,
    )
    closeout.closed_at = utcnow()
