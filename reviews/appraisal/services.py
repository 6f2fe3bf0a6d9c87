"""Appointing an appraiser: the conflict checks of peer review (the same institution as the
PI, the host or a co-investigator; co-authorship; a declared conflict not overridden; the
appraiser is the PI), then funds.appraisal's appointment, which refuses any reason found."""

from sqlmodel import Session

from funds.accounts.models import User
from funds.appraisal import services as appraisal_svc
from funds.appraisal.models import AppraisalAppraiser
from funds.errors import N_, RuleViolation
from funds.rules import Violation
from reviews.pool.services import conflicted_pairs


def appoint_appraiser(
    session: Session, *, actor: User, appraisal_id: int, user_id: int
) -> AppraisalAppraiser:
    """Appoint an appraiser for the proposal, refused with the reasons when they conflict."""
    found = appraisal_svc.get_appraisal_for(session, actor=actor, appraisal_id=appraisal_id)
    user = session.get(User, user_id)
    if user is None:
        raise RuleViolation(
            N_("Appraisers are reviewers of the pool or the fund's staff."),
            [Violation("user_id", N_("Choose a reviewer or a member of the fund's staff."))],
        )
    reasons = conflicted_pairs(session, [found.proposal], [user]).get(
        (found.proposal.id, user.id), []
    )
    return appraisal_svc.add_appraiser(
        session, actor=actor, appraisal_id=appraisal_id, user_id=user.id, conflicts=reasons
    )
