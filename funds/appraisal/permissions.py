"""Who does what in an appraisal. Predicates take the user explicitly.

The fund's managers open it, appoint appraisers, appraise themselves if they wish (the
fund's staff) and approve it; appointed appraisers go through the lines; the PI answers;
the host's officers read it.
"""

from dataclasses import dataclass

from funds.accounts.models import Role, User
from funds.appraisal.models import Appraisal
from funds.appraisal.models import AppraisalStatus as AS
from funds.appraisal.rules import APPRAISAL
from funds.proposals.models import Proposal, ProposalStatus
from funds.proposals.permissions import can_manage_proposal, can_view_as_host, is_pi


def can_open_appraisal(proposal: Proposal, user: User) -> bool:
    """After the selection decision: a funded proposal, by the managers of its fund."""
    return proposal.status == ProposalStatus.FUNDED and can_manage_proposal(proposal, user)


def may_be_appraiser(user: User) -> bool:
    """Reviewers of the pool and the fund's staff may be appointed."""
    return user.is_active and user.has_role(Role.REVIEWER, Role.MANAGER)


def can_view_appraisal(proposal: Proposal, user: User, *, appointed: bool) -> bool:
    return (
        can_manage_proposal(proposal, user)
        or is_pi(proposal, user)
        or (appointed and user.is_active)
        or can_view_as_host(proposal, user)
    )


def can_appoint(appraisal: Appraisal, proposal: Proposal, user: User) -> bool:
    return can_manage_proposal(proposal, user) and appraisal.status == AS.IN_PROGRESS


def can_appraise(appraisal: Appraisal, proposal: Proposal, user: User, *, appointed: bool) -> bool:
    """The fund's managers or an appointed appraiser, while it is being appraised (never
    the PI, even a manager who leads the proposal)."""
    return (
        appraisal.status == AS.IN_PROGRESS
        and proposal.pi_id != user.id
        and ((appointed and user.is_active) or can_manage_proposal(proposal, user))
    )


def can_answer(appraisal: Appraisal, proposal: Proposal, user: User) -> bool:
    return is_pi(proposal, user) and APPRAISAL.can_move(appraisal.status, AS.ANSWERED)


def can_approve(appraisal: Appraisal, proposal: Proposal, user: User) -> bool:
    return can_manage_proposal(proposal, user) and APPRAISAL.can_move(appraisal.status, AS.APPROVED)


@dataclass(frozen=True)
class AppraisalActions:
    can_appoint: bool
    can_appraise: bool
    can_answer: bool
    can_approve: bool
    approved: bool


def appraisal_actions(
    appraisal: Appraisal, proposal: Proposal, user: User, *, appointed: bool
) -> AppraisalActions:
    return AppraisalActions(
        can_appoint=can_appoint(appraisal, proposal, user),
        can_appraise=can_appraise(appraisal, proposal, user, appointed=appointed),
        can_answer=can_answer(appraisal, proposal, user),
        can_approve=can_approve(appraisal, proposal, user),
        approved=appraisal.status == AS.APPROVED,
    )
