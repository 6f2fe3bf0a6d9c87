"""Who may do what with host organisations. Predicates take the user explicitly.

A host officer acts for the organisations they are linked to (host_officer rows) and sees
those organisations' proposals (from submission on) and projects, and nothing else: the
checks are made where each object is decided (funds.proposals.permissions,
funds.projects.permissions), through officer_of.
"""

from funds.accounts.models import Role, User
from funds.accounts.permissions import can_administer, is_manager
from funds.hosts.models import Endorsement, EndorsementStatus, Host, HostStatus
from funds.hosts.rules import ENDORSEMENT, HOST, PICKABLE


def is_host_officer(user: User) -> bool:
    """Holds the host officer role; which organisations is officer_of's question."""
    return user.is_active and user.has_role(Role.HOST_OFFICER)


def officer_of(user: User, host: Host | None) -> bool:
    """An active host officer linked to this organisation."""
    return (
        host is not None
        and is_host_officer(user)
        and any(row.user_id == user.id for row in host.officer_rows)
    )


def can_register_hosts(user: User) -> bool:
    """Administrators and fund managers keep the register (create, edit, confirm, officers)."""
    return is_manager(user) or can_administer(user)


def can_view_host(host: Host, user: User) -> bool:
    """The organisation's page: the register's keepers and its own officers."""
    return can_register_hosts(user) or officer_of(user, host)


def can_confirm_host(host: Host, user: User) -> bool:
    return can_register_hosts(user) and HOST.can_move(host.status, HostStatus.CONFIRMED)


def can_choose_host(user: User) -> bool:
    """Applicants name their host on their profile and proposals (or ask for a new one)."""
    return user.is_active and user.has_role(Role.APPLICANT)


def may_name_host(host: Host, user: User) -> bool:
    """An organisation of the register, or the one this applicant asked for (until it is
    confirmed or rejected)."""
    return host.status in PICKABLE or (
        host.status == HostStatus.REQUESTED and host.requested_by == user.id
    )


def can_endorse(endorsement: Endorsement, host: Host, user: User) -> bool:
    """The host's officers endorse or return a version that awaits them."""
    return officer_of(user, host) and ENDORSEMENT.can_move(
        endorsement.status, EndorsementStatus.ENDORSED
    )


def has_organisation(user: User) -> bool:
    """The "My organisation" page: host officers."""
    return is_host_officer(user)
