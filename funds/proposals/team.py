"""The proposal's team: co-investigators added by the PI, confirming by a link."""

import secrets

from sqlmodel import Session, select

from funds import audit
from funds.accounts.models import User
from funds.clock import utcnow
from funds.errors import N_, NotAllowed, NotFound, RuleViolation
from funds.notifications.services import notify
from funds.profiles.models import CoInvestigator
from funds.proposals.models import Proposal
from funds.proposals.permissions import can_edit_proposal
from funds.proposals.services import get_proposal_for


def add_member(
    session: Session,
    *,
    actor: User,
    proposal_id: int,
    name: str,
    email: str,
    institution: str = "",
    role: str = "",
    effort_pct: int = 0,
) -> CoInvestigator:
    """The PI adds a co-investigator, who gets a link to confirm (no re-typing)."""
    proposal = get_proposal_for(session, proposal_id=proposal_id, actor=actor)
    if not can_edit_proposal(proposal, actor):
        raise NotAllowed(N_("Only the principal investigator can edit a draft."))
    email = email.strip().lower()
    if not 0 <= effort_pct <= 100:
        raise RuleViolation(N_("Effort is between 0 and 100 per cent."))
    taken = session.exec(
        select(CoInvestigator).where(
            CoInvestigator.proposal_id == proposal.id, CoInvestigator.email == email
        )
    ).first()
    if taken:
        raise RuleViolation(N_("%(email)s is already in the team."), email=email)
    member = CoInvestigator(
        proposal_id=proposal.id,
        name=name.strip(),
        email=email,
        institution=institution.strip(),
        role=role.strip(),
        effort_pct=effort_pct,
        confirm_token=secrets.token_urlsafe(32),
    )
    session.add(member)
    session.flush()
    audit.record(
        session,
        actor_id=actor.id,
        object_type="co_investigator",
        object_id=member.id,
        action="add",
        detail=f"proposal={proposal.id}",
    )
    invitee = session.exec(select(User).where(User.email == email)).first()
    notify(
        session,
        kind="coinvestigator_invitation",
        user_id=invitee.id if invitee else None,
        email=email,
        object_type="co_investigator",
        object_id=member.id,
        params={"title": proposal.title or "—", "pi_user_id": actor.id},
        actor_id=actor.id,
    )
    return member


def remove_member(session: Session, *, actor: User, member_id: int) -> None:
    member = session.get(CoInvestigator, member_id)
    if member is None:
        raise NotFound(N_("No such team member."))
    proposal = get_proposal_for(session, proposal_id=member.proposal_id, actor=actor)
    if not can_edit_proposal(proposal, actor):
        raise NotAllowed(N_("Only the principal investigator can edit a draft."))
    audit.record(
        session,
        actor_id=actor.id,
        object_type="co_investigator",
        object_id=member.id,
        action="remove",
        detail=f"proposal={proposal.id}",
    )
    session.delete(member)
    session.flush()


def member_by_token(session: Session, token: str) -> CoInvestigator:
    member = (
        session.exec(select(CoInvestigator).where(CoInvestigator.confirm_token == token)).first()
        if token
        else None
    )
    if member is None:
        raise NotFound(N_("This confirmation link is not valid."))
    return member


def confirm_membership(session: Session, *, actor: User, token: str) -> CoInvestigator:
    """The invited person, signed in with the invited e-mail, confirms taking part."""
    member = member_by_token(session, token)
    if actor.email.lower() != member.email:
        raise NotAllowed(N_("Sign in with the e-mail address the invitation was sent to."))
    member.user_id, member.confirmed_at = actor.id, utcnow()
    session.add(member)
    audit.record(
        session,
        actor_id=actor.id,
        object_type="co_investigator",
        object_id=member.id,
        action="confirm",
        to_state="confirmed",
    )
    session.flush()
    return member


def proposal_of(session: Session, member: CoInvestigator) -> Proposal:
    return session.get_one(Proposal, member.proposal_id)
