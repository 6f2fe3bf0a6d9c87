"""Final report, acceptance evaluation and closeout under the award's closeout regime
(funds/projects/regimes: the earlier rules, Resolution 193/2025/QH15 Art. 4, Law 93/2025/QH15
Art. 9), and the manager's transitional override of that regime."""

from dataclasses import replace

from sqlmodel import Session, select

from funds import audit
from funds.accounts.models import User
from funds.clock import utcnow
from funds.errors import N_, InvalidTransition, NotAllowed, NotFound, RuleViolation
from funds.legal import settings as legal_settings
from funds.projects.models import Award, AwardStatus, Closeout, CouncilMember
from funds.projects.permissions import (
    can_evaluate,
    can_file_report,
    can_override_regime,
    final_report_status_of,
)
from funds.projects.regimes import rules as regime_rules
from funds.projects.regimes import services as regimes
from funds.projects.regimes.rules import Evaluation, Rating
from funds.projects.rules import AWARD, FINAL_REPORT, FinalReportStatus
from funds.projects.services import disbursed_in, get_project_for, managed_project, on_council
from funds.proposals.models import Proposal
from funds.rules import Violation

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


def stop_project(
    session: Session, *, actor: User, award_id: int, used_vnd: int, reason: str
) -> Closeout:
    """A manager of the fund stops a running project (on a mid-term council's conclusion):
    the award moves to stopped and the funds used so far are recorded, so that its closeout
    follows under its regime as a task that did not reach its results (evaluate_and_close)."""
    award, _proposal = managed_project(session, award_id=award_id, actor=actor)
    if not reason.strip():
        raise RuleViolation(N_("A project is stopped with its reason."))
    if not 0 <= used_vnd <= disbursed_in(session, award):
        raise RuleViolation(
            N_("Funds used lie between 0 and the amount disbursed."),
            [Violation("used_vnd", N_("Funds used lie between 0 and the amount disbursed."))],
        )
    before = AWARD.move(award, AwardStatus.STOPPED)
    closeout = closeout_of(session, award.id) or Closeout(award_id=award.id)
    if closeout.final_report_at is None:  # the stop stands for the final report
        closeout.final_report, closeout.final_report_at = reason.strip(), utcnow()
    closeout.used_vnd = used_vnd
    session.add_all([award, closeout])
    audit.record(
        session,
        actor_id=actor.id,
        object_type="award",
        object_id=award.id,
        action="stop",
        from_state=before,
        to_state=AwardStatus.STOPPED,
        detail=reason.strip()[:500],
    )
    session.flush()
    return closeout


def _evaluable(session: Session, award_id: int, actor: User) -> tuple[Award, Closeout]:
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
    return award, closeout


def evaluate_and_close(
    session: Session,
    *,
    actor: User,
    award_id: int,
    evaluation: Evaluation,
    scores: str = "",
    risk_category: str = "",
    expert_opinion: str = "",
    lessons_learned: str = "",
    publish_negative_results: bool = False,
) -> Closeout:
    """The acceptance evaluation (nghiệm thu) and its consequences under the award's closeout
    regime, recorded and closed; a broken condition opens a liability case."""
    award, closeout = _evaluable(session, award_id, actor)
    if risk_category and risk_category not in RISK_CATEGORIES:
        raise RuleViolation(N_("Unknown risk category."))
    indicators = regimes.quality_indicators(session, award.id)
    evaluation, result = _outcome(session, award, closeout, evaluation, indicators)
    regimes.record_checks(session, indicators, evaluation.indicators, evaluation.measured)
    _record(closeout, award.regime_code, evaluation, result)
    closeout.scores, closeout.risk_category = scores, risk_category
    closeout.expert_opinion, closeout.lessons_learned = expert_opinion, lessons_learned
    closeout.publish_negative_results = publish_negative_results
    before = AWARD.move(award, AwardStatus.CLOSED)
    session.add_all([closeout, award])
    _audit_close(session, actor, award, before, result)
    session.flush()
    return closeout


def preview_closeout(
    session: Session, *, actor: User, award_id: int, evaluation: Evaluation
) -> regime_rules.Consequence:
    """What evaluate_and_close would record for `evaluation` (refund, outcome, basis,
    liability, mark), computed by the same rules and checks, with nothing written."""
    award, closeout = _evaluable(session, award_id, actor)
    indicators = regimes.quality_indicators(session, award.id)
    return _outcome(session, award, closeout, evaluation, indicators)[1]


def _outcome(session, award, closeout, evaluation, indicators):
    """The evaluation checked against the regime's rules, and its consequences."""
    evaluation = replace(
        evaluation, indicators={i.id: evaluation.indicators.get(i.id) for i in indicators}
    )
    used = closeout.used_vnd or 0
    violations = regime_rules.check_evaluation(
        evaluation, regime=award.regime_code, funding_mode=award.funding_mode, used_vnd=used
    )
    if violations:
        raise RuleViolation(
            N_("The evaluation is not complete: see the marked answers."), violations
        )
    result = regime_rules.consequences(
        evaluation,
        regime=regimes.regime_span(session, award.regime_code),
        funding_mode=award.funding_mode,
        disbursed_vnd=disbursed_in(session, award),
        used_vnd=used,
        settings=regimes.closeout_settings(session),
    )
    return evaluation, result


def _record(closeout: Closeout, regime: str, ev: Evaluation, result) -> None:
    closeout.rating, closeout.regime_code = ev.rating, regime
    if ev.rating == Rating.FAIL:
        for name, answer in ev.conditions.answers().items():
            setattr(closeout, name, answer)
        closeout.failure_cause = ev.cause
        closeout.outside_purpose_vnd = ev.outside_purpose_vnd
        closeout.outside_purpose_evidence = ev.outside_purpose_evidence.strip()
    closeout.evidence = "\n".join(regime_rules.evidence_entries(ev.evidence))
    closeout.conclusion = ev.conclusion.strip()
    closeout.outcome, closeout.refund_vnd, closeout.basis = (
        result.outcome,
        result.refund_vnd,
        result.basis,
    )
    closeout.host_refund_vnd, closeout.pi_refund_vnd = result.host_refund_vnd, result.pi_refund_vnd
    closeout.savings_vnd = result.savings_vnd if ev.rating != Rating.FAIL else None
    closeout.liability_case = result.liability
    closeout.mark_against_future = result.mark_against_future
    closeout.closed_at = utcnow()


def _audit_close(session: Session, actor: User, award: Award, before: str, result) -> None:
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
    if result.liability:
        audit.record(
            session,
            actor_id=actor.id,
            object_type="award",
            object_id=award.id,
            action="open_liability_case",
            detail=result.basis,
        )


def override_regime(
    session: Session, *, actor: User, award_id: int, regime_code: str, reason: str
) -> Award:
    """A fund manager moves a contract to another closeout regime, for a transitional case
    only (setting closeout.transitional_override), with a reason; audited."""
    award, proposal = managed_project(session, award_id=award_id, actor=actor)
    allowed = legal_settings.value(session, "closeout.transitional_override")
    if not can_override_regime(award, proposal, actor, allowed=allowed):
        raise NotAllowed(N_("The closeout regime of this project cannot be changed."))
    if not reason.strip():
        raise RuleViolation(
            N_("Give the reason for the transitional case."),
            [Violation("reason", N_("A change of regime needs its reason."))],
        )
    spans = regimes.regime_spans(session)
    if not regime_rules.override_allowed(spans, award.contract_date, regime_code):
        raise RuleViolation(
            N_("A contract can only move to a later closeout regime than its date's."),
            [Violation("regime_code", N_("Choose a later regime than the contract date's."))],
        )
    before = award.regime_code
    span = next(s for s in spans if s.code == regime_code)
    award.regime_code, award.regime_basis = span.code, span.basis
    award.regime_override_reason = reason.strip()
    session.add(award)
    audit.record(
        session,
        actor_id=actor.id,
        object_type="award",
        object_id=award.id,
        action="override_regime",
        from_state=before,
        to_state=span.code,
        detail=reason.strip(),
    )
    session.flush()
    return award
