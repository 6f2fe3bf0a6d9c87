"""Managers invite external experts by e-mail link; the invitee joins the reviewer pool."""

import secrets
from datetime import timedelta

from sqlmodel import Session, select

from funds import audit
from funds.clock import utcnow
from funds.errors import N_, NotAllowed, NotFound, RuleViolation
from funds.models.accounts import Role, User, UserRole
from funds.permissions import is_manager
from funds.services.accounts import create_user, find_user_by_email
from reviews.models.invitations import Invitation
from reviews.services_pool import profile_of

INVITATION_DAYS = 30


def invite_expert(session: Session, *, actor: User, email: str, name: str) -> Invitation:
    """Create a single-use invitation; the caller e-mails its link."""
    if not is_manager(actor):
        raise NotAllowed(N_("Only fund managers can do this."))
    invitation = Invitation(email=email.strip().lower(), name=name.strip(),
                            token=secrets.token_urlsafe(32), invited_by=actor.id)
    session.add(invitation)
    session.flush()
    audit.record(session, actor_id=actor.id, object_type="invitation", object_id=invitation.id,
                 action="invite", to_state="sent", detail=invitation.email)
    return invitation


def open_invitation(session: Session, token: str) -> Invitation:
    """The invitation behind a link, if unused and under 30 days old."""
    invitation = session.exec(select(Invitation).where(Invitation.token == token)).first()
    if (invitation is None or invitation.accepted_at is not None
            or utcnow() - invitation.created_at > timedelta(days=INVITATION_DAYS)):
        raise NotFound(N_("This invitation is not valid any more."))
    return invitation


def accept_invitation(session: Session, *, token: str, name: str, password: str,
                      institution: str, confidentiality: bool) -> User:
    """The expert accepts the confidentiality statement and gets (or adds) the reviewer role."""
    invitation = open_invitation(session, token)
    if confidentiality is not True:
        raise RuleViolation(N_("Accept the confidentiality statement to join."))
    user = find_user_by_email(session, invitation.email)
    if user is None:
        user = create_user(session, actor=None, email=invitation.email, name=name,
                           password=password, roles=[Role.REVIEWER], institution=institution)
    elif not user.has_role(Role.REVIEWER):
        session.add(UserRole(user_id=user.id, role=Role.REVIEWER))
    profile = profile_of(session, user.id)
    profile.confidentiality_accepted_at = utcnow()
    invitation.accepted_at, invitation.user_id = utcnow(), user.id
    session.add_all([profile, invitation])
    audit.record(session, actor_id=user.id, object_type="invitation", object_id=invitation.id,
                 action="accept", from_state="sent", to_state="accepted")
    session.flush()
    session.refresh(user)
    return user
