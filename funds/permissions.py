"""Who may do what to which object. Predicates take the user explicitly and return bool.

Fund scoping (OWASP ASVS 5.0 V8.2.2, data-specific access): a manager acts only on the
funds they are linked to (funds.models.fund_managers), and sees a fund's proposals from
submission on — a draft is the applicant's alone. Administrators administer: they create
funds and say who manages each, but they are not managers of every fund; an administrator
who must act on a fund takes the manager role and a link to it, both audited.
"""

from funds.models.accounts import Role, User
from funds.models.calls import Call, Fund
from funds.models.proposals import Proposal, ProposalStatus


def is_manager(user: User) -> bool:
    """Holds the fund manager role; which funds they manage is manages_fund's question."""
    return user.is_active and user.has_role(Role.MANAGER)


def can_administer(user: User) -> bool:
    return user.is_active and user.has_role(Role.ADMIN)


def manages_fund(user: User, fund: Fund) -> bool:
    """An active manager linked to this fund."""
    return is_manager(user) and any(row.user_id == user.id for row in fund.manager_rows)


def can_create_fund(user: User) -> bool:
    """Managers (who then manage it) and administrators (who then assign its managers)."""
    return is_manager(user) or can_administer(user)


def can_view_fund(fund: Fund, user: User) -> bool:
    """The fund's page with its managers: its managers and the administrators."""
    return manages_fund(user, fund) or can_administer(user)


def can_assign_fund_managers(user: User) -> bool:
    """Only administrators add and remove a fund's managers (access is granted centrally)."""
    return can_administer(user)


def can_manage_call(call: Call, user: User) -> bool:
    """Rubric, assignment, ranking and exports of a call: the managers of its fund."""
    return manages_fund(user, call.fund)


def is_pi(proposal: Proposal, user: User) -> bool:
    return user.is_active and proposal.pi_id == user.id


def can_manage_proposal(proposal: Proposal, user: User) -> bool:
    """A manager of the proposal's fund, once it has been submitted (never a draft)."""
    return proposal.status != ProposalStatus.DRAFT and manages_fund(user, proposal.call.fund)


def can_view_proposal(proposal: Proposal, user: User) -> bool:
    """The PI and the managers of its fund; reviewers go through reviews.permissions."""
    return is_pi(proposal, user) or can_manage_proposal(proposal, user)


def can_edit_proposal(proposal: Proposal, user: User) -> bool:
    """Only the PI, and only while it is a draft."""
    return is_pi(proposal, user) and proposal.status == ProposalStatus.DRAFT


def can_submit_proposal(proposal: Proposal, user: User) -> bool:
    return can_edit_proposal(proposal, user)


def can_withdraw_proposal(proposal: Proposal, user: User) -> bool:
    return is_pi(proposal, user) and proposal.status == ProposalStatus.SUBMITTED


def can_decide(proposal: Proposal, user: User) -> bool:
    """The fund's managers decide on submitted proposals."""
    return can_manage_proposal(proposal, user) and proposal.status == ProposalStatus.SUBMITTED


def can_view_audit(user: User) -> bool:
    return can_administer(user)


def can_reopen_proposal(proposal: Proposal, user: User) -> bool:
    """The PI may take back a submitted or withdrawn proposal to edit and resubmit it."""
    return is_pi(proposal, user) and proposal.status in (ProposalStatus.SUBMITTED,
                                                         ProposalStatus.WITHDRAWN)
