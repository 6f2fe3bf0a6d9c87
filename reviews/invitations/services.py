"""Managers invite external experts by e-mail link; the invitee joins the reviewer pool.

A link never signs anyone in (ASVS 5.0 V6.4). For an address without a confirmed account
the invitee chooses their own password (the link proves control of the address); for an
address with an account, the invitee signs in to it first and then joins explicitly.
"""

from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, select

from funds import audit
from funds.accounts import rules as account_rules
from funds.accounts.models import Role, User, UserRole
from funds.accounts.passwords import hash_password
from funds.accounts.permissions import can_administer, is_manager
from funds.accounts.services import create_user, find_user_by_email, password_violations
from funds.accounts.signin import services as account_services
from funds.clock import utcnow
from funds.errors import N_, NotAllowed, NotFound, RuleViolation
from reviews.invitations.models import Invitation
from reviews.pool.services import profile_of

INVITATION_DAYS = 30


@dataclass(frozen=True)
class SentInvitation:
    invitation: Invitation
    secret: str  # goes into the e-mailed link only; the database keeps its hash


def invite_expert(session: Session, *, actor: User, email: str, name: str) -> SentInvitation:
    """Create a single-use invitation; the caller e-mails its link after the commit."""
    if not (is_manager(actor) or can_administer(actor)):  # the pool serves every fund
        raise NotAllowed(N_("Only fund managers can do this."))
    secret = account_services.new_secret()
    invitation = Invitation(
        email=account_rules.fold_email(email),
        name=name.strip(),
        token_hash=account_rules.token_hash(secret),
        invited_by=actor.id,
    )
    session.add(invitation)
    session.flush()
    audit.record(
        session,
        actor_id=actor.id,
        object_type="invitation",
        object_id=invitation.id,
        action="invite",
        to_state="sent",
    )
    return SentInvitation(invitation, secret)


def open_invitation(session: Session, secret: str) -> Invitation:
    """The invitation behind a link, if unused and under 30 days old."""
    invitation = session.exec(
        select(Invitation).where(Invitation.token_hash == account_rules.token_hash(secret or ""))
    ).first()
    if (
        invitation is None
        or invitation.accepted_at is not None
        or utcnow() - invitation.created_at > timedelta(days=INVITATION_DAYS)
    ):
        raise NotFound(N_("This invitation is not valid any more."))
    return invitation


def needs_sign_in(session: Session, invitation: Invitation) -> bool:
    """The address has a confirmed account: its owner must sign in to accept."""
    user = find_user_by_email(session, invitation.email)
    return user is not None and user.email_verified_at is not None


def accept_as_new(
    session: Session,
    *,
    secret: str,
    name: str,
    password: str,
    institution: str,
    confidentiality: bool,
) -> User:
    """An expert without an account: they choose their own password and join the pool."""
    invitation = open_invitation(session, secret)
    _require_confidentiality(confidentiality)
    if needs_sign_in(session, invitation):
        raise NotAllowed(N_("This address already has an account: sign in to accept."))
    violations = password_violations(password, email=invitation.email, name=name)
    if violations:
        raise RuleViolation(violations[0].message, violations, **violations[0].params)
    user = find_user_by_email(session, invitation.email)
    if user is None:
        user = create_user(
            session,
            actor=None,
            email=invitation.email,
            name=name,
            password=password,
            roles=[Role.REVIEWER],
            institution=institution,
        )
    else:  # an unconfirmed registration of this address proves nothing: replace it
        user.name, user.institution = name.strip(), institution.strip()
        user.password_hash, user.password_changed_at = hash_password(password), utcnow()
        user.email_verified_at = utcnow()
        account_services.revoke_sessions(session, user_id=user.id)
        _grant_reviewer(session, user)
    return _accept(session, invitation, user)


def accept_as_member(session: Session, *, secret: str, actor: User, confidentiality: bool) -> User:
    """A signed-in person whose address was invited joins the pool explicitly."""
    invitation = open_invitation(session, secret)
    _require_confidentiality(confidentiality)
    if actor.email != invitation.email:
        raise NotAllowed(
            N_(
                "This invitation was sent to another e-mail address. Sign in "
                "with the invited address to accept it."
            )
        )
    _grant_reviewer(session, actor)
    return _accept(session, invitation, actor)


def _require_confidentiality(confidentiality: bool) -> None:
    if confidentiality is not True:
        raise RuleViolation(N_("Accept the confidentiality statement to join."))


def _grant_reviewer(session: Session, user: User) -> None:
    if not user.has_role(Role.REVIEWER):
        user.role_rows.append(UserRole(user_id=user.id, role=Role.REVIEWER))
        session.add(user)
        audit.record(
            session,
            actor_id=user.id,
            object_type="user",
            object_id=user.id,
            action="join_reviewer_pool",
            to_state="reviewer",
        )


def _accept(session: Session, invitation: Invitation, user: User) -> User:
    profile = profile_of(session, user.id)
    profile.confidentiality_accepted_at = utcnow()
    invitation.accepted_at, invitation.user_id = utcnow(), user.id
    session.add_all([profile, invitation])
    audit.record(
        session,
        actor_id=user.id,
        object_type="invitation",
        object_id=invitation.id,
        action="accept",
        from_state="sent",
        to_state="accepted",
    )
    session.flush()
    session.refresh(user)
    return user
