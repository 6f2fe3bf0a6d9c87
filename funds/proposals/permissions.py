"""Who may do what to which object. Predicates take the user explicitly and return bool.

Fund scoping (OWASP ASVS 5.0 V8.2.2, data-specific access): a manager acts only on the
funds they are linked to (funds.calls.models), and sees a fund's proposals from
submission on — a draft is the applicant's alone. Administrators administer: they create
funds and say who manages each, but they are not managers of every fund; an administrator
who must act on a fund takes the manager role and a link to it, both audited.
"""

from funds.accounts.models import Role, User
from funds.accounts.permissions import can_administer, is_manager
from funds.calls.permissions import manages_fund
from funds.hosts.permissions import is_host_officer, officer_of
from funds.proposals.models import Proposal, ProposalStatus
from funds.proposals.rules import PROPOSAL


def is_pi(proposal: Proposal, user: User) -> bool:
    return user.is_active and proposal.pi_id == user.id


def can_manage_proposal(proposal: Proposal, user: User) -> bool:
    """A manager of the proposal's fund, once it has been submitted (never a draft)."""
    return proposal.status != ProposalStatus.DRAFT and manages_fund(user, proposal.call.fund)


def can_view_as_host(proposal: Proposal, user: User) -> bool:
    """An officer of the proposal's host organisation, once it has been submitted (a draft
    is the applicant's alone); nothing of any other organisation."""
    return (
        proposal.status != ProposalStatus.DRAFT
        and proposal.host_id is not None
        and is_host_officer(user)
        and officer_of(user, proposal.host)
    )


def can_view_proposal(proposal: Proposal, user: User) -> bool:
    """The PI, the managers of its fund and the officers of its host; reviewers go through
    reviews.reviewing.permissions."""
    return (
        is_pi(proposal, user)
        or can_manage_proposal(proposal, user)
        or can_view_as_host(proposal, user)
    )


def pi_may_edit(pi_id, status, user_id, user_active):
    """The edit rule, written once: an active account's own draft. On plain values it is a bool
    (can_edit_proposal); on columns, the condition of the autosave's one conditional UPDATE
    (funds.proposals.services.save_summary)."""
    return (pi_id == user_id) & (status == ProposalStatus.DRAFT) & user_active


def can_edit_proposal(proposal: Proposal, user: User) -> bool:
    """Only the PI, and only while it is a draft."""
    return bool(pi_may_edit(proposal.pi_id, proposal.status, user.id, user.is_active))


def can_submit_proposal(proposal: Proposal, user: User) -> bool:
    return can_edit_proposal(proposal, user) and PROPOSAL.can_move(
        proposal.status, ProposalStatus.SUBMITTED
    )


def can_withdraw_proposal(proposal: Proposal, user: User) -> bool:
    return is_pi(proposal, user) and PROPOSAL.can_move(proposal.status, ProposalStatus.WITHDRAWN)


def can_decide(proposal: Proposal, user: User) -> bool:
    """The fund's managers decide on submitted proposals."""
    return can_manage_proposal(proposal, user) and PROPOSAL.can_move(
        proposal.status, ProposalStatus.FUNDED
    )


def can_reopen_proposal(proposal: Proposal, user: User) -> bool:
    """The PI may take back a submitted or withdrawn proposal to edit and resubmit it."""
    return is_pi(proposal, user) and PROPOSAL.can_move(proposal.status, ProposalStatus.DRAFT)


def can_apply(user: User) -> bool:
    """Applicants write proposals and see their own."""
    return user.is_active and user.has_role(Role.APPLICANT)


def can_decide_funding(user: User) -> bool:
    """The funding decision pages; which proposals is can_decide's question (the fund's
    managers, on a submitted proposal)."""
    return is_manager(user) or can_administer(user)


def can_see_team_links(proposal: Proposal, user: User) -> bool:
    """The PI sees each unanswered co-investigator's confirmation link, before and after
    submission: the link stays valid until the person answers (it is also e-mailed)."""
    return is_pi(proposal, user)
