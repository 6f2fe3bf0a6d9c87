"""The host organisation's self-evaluation: the first step of acceptance."""

from sqlmodel import Session, select

from funds import audit
from funds.accounts.models import User
from funds.clock import utcnow
from funds.errors import N_, NotAllowed, RuleViolation
from funds.projects.acceptance.models import SelfEvaluation
from funds.projects.acceptance.permissions import can_self_evaluate
from funds.projects.regimes.rules import Rating
from funds.projects.services import get_project_for
from funds.rules import Violation


def self_evaluation_of(session: Session, award_id: int) -> SelfEvaluation | None:
    return session.exec(select(SelfEvaluation).where(SelfEvaluation.award_id == award_id)).first()


def record_self_evaluation(
    session: Session, *, actor: User, award_id: int, rating: str, evidence: str, host: str = ""
) -> SelfEvaluation:
    """The host's own rating of the results with its evidence (Law 29/2013/QH13 Art. 37),
    recorded by the PI on the host's behalf; recording again replaces it until closeout."""
    award, proposal = get_project_for(session, award_id=award_id, actor=actor)
    if not can_self_evaluate(award, proposal, actor):
        raise NotAllowed(
            N_("Only the principal investigator records the self-evaluation of an open project.")
        )
    problems = []
    if rating not in set(Rating):
        problems.append(Violation("rating", N_("Choose excellent, pass or fail.")))
    if not evidence.strip():
        problems.append(Violation("evidence", N_("Give the evidence of the self-evaluation.")))
    if problems:
        raise RuleViolation(N_("The self-evaluation is not complete."), problems)
    row = self_evaluation_of(session, award.id) or SelfEvaluation(
        award_id=award.id, rating=rating, evidence="", recorded_by=actor.id
    )
    before = row.rating if row.id else None
    row.rating, row.evidence, row.host = rating, evidence.strip(), host.strip()
    row.recorded_by, row.recorded_at = actor.id, utcnow()
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor_id=actor.id,
        object_type="award",
        object_id=award.id,
        action="self_evaluation",
        from_state=before,
        to_state=rating,
        detail=row.host[:200],
    )
    session.flush()
    return row
