"""Who does what with a contract. Predicates take the user explicitly.

The fund's managers draft it, generate its documents, send it for signature and sign for
the fund; an officer of the proposal's host signs for the host; the PI signs for
themselves. Those three see the contract; nobody else does (NotFound).
"""

from collections.abc import Collection
from dataclasses import dataclass

from funds.accounts.models import User
from funds.accounts.permissions import is_manager
from funds.contracts.models import Contract, ContractStatus, Party
from funds.contracts.rules import CONTRACT
from funds.hosts.permissions import officer_of
from funds.proposals.models import Proposal, ProposalStatus
from funds.proposals.permissions import can_manage_proposal, can_view_as_host, is_pi


def can_view_contract(proposal: Proposal, user: User) -> bool:
    return (
        can_manage_proposal(proposal, user)
        or is_pi(proposal, user)
        or can_view_as_host(proposal, user)
    )


def can_draft_contract(proposal: Proposal, user: User, *, appraised: bool, taken: bool) -> bool:
    """A funded proposal whose appraisal is approved and which has no contract or award yet."""
    return (
        proposal.status == ProposalStatus.FUNDED
        and can_manage_proposal(proposal, user)
        and appraised
        and not taken
    )


def can_edit_terms(contract: Contract, proposal: Proposal, user: User) -> bool:
    return can_manage_proposal(proposal, user) and contract.status == ContractStatus.DRAFT


def can_generate(contract: Contract, proposal: Proposal, user: User) -> bool:
    """A new version while it is a draft or awaits signatures (which then start again)."""
    return can_manage_proposal(proposal, user) and CONTRACT.can_move(
        contract.status, ContractStatus.CANCELLED
    )


def can_send(contract: Contract, proposal: Proposal, user: User, *, current: bool) -> bool:
    """Sent for signature once a document made on the present terms exists."""
    return (
        current and can_manage_proposal(proposal, user) and contract.status == ContractStatus.DRAFT
    )


def can_return_to_draft(contract: Contract, proposal: Proposal, user: User) -> bool:
    return can_manage_proposal(proposal, user) and contract.status == (
        ContractStatus.AWAITING_SIGNATURES
    )


def can_cancel(contract: Contract, proposal: Proposal, user: User) -> bool:
    return can_manage_proposal(proposal, user) and CONTRACT.can_move(
        contract.status, ContractStatus.CANCELLED
    )


def parties_of(proposal: Proposal, user: User) -> list[Party]:
    """The parties this user may sign for: the fund (its managers), the host (its officers),
    the PI."""
    found = []
    if can_manage_proposal(proposal, user):
        found.append(Party.FUND)
    if proposal.host is not None and officer_of(user, proposal.host):
        found.append(Party.HOST)
    if is_pi(proposal, user):
        found.append(Party.PI)
    return found


def party_to_sign(
    contract: Contract, proposal: Proposal, user: User, *, signed: Collection[str]
) -> Party | None:
    """The party this user signs for now on the current version, if any."""
    if contract.status != ContractStatus.AWAITING_SIGNATURES:
        return None
    return next((p for p in parties_of(proposal, user) if p not in signed), None)


def can_manage_templates(user: User) -> bool:
    """The template pages: fund managers, each for the funds they manage."""
    return is_manager(user)


@dataclass(frozen=True)
class ContractActions:
    can_edit_terms: bool
    can_generate: bool
    can_send: bool
    can_return_to_draft: bool
    can_cancel: bool
    sign_as: Party | None
    in_force: bool


def contract_actions(
    contract: Contract, proposal: Proposal, user: User, *, current: bool, signed: Collection[str]
) -> ContractActions:
    return ContractActions(
        can_edit_terms=can_edit_terms(contract, proposal, user),
        can_generate=can_generate(contract, proposal, user),
        can_send=can_send(contract, proposal, user, current=current),
        can_return_to_draft=can_return_to_draft(contract, proposal, user),
        can_cancel=can_cancel(contract, proposal, user),
        sign_as=party_to_sign(contract, proposal, user, signed=signed) if current else None,
        in_force=contract.status == ContractStatus.IN_FORCE,
    )
