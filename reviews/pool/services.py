"""The reviewer pool: profiles, bids, conflict declarations and overrides."""

from sqlmodel import Session, select

from funds import audit
from funds.accounts.models import User
from funds.clock import utcnow
from funds.errors import N_, NotAllowed, RuleViolation
from funds.profiles.models import CoInvestigator, Publication
from funds.proposals.models import Proposal
from reviews.conflicts.rules import Person, PublicationFacts, detect_conflicts
from reviews.pool.models import Bid, BidLevel, ConflictDeclaration, ReviewerProfile
from reviews.pool.permissions import is_reviewer


def profile_of(session: Session, user_id: int) -> ReviewerProfile:
    """The reviewer's profile, created empty on first use."""
    profile = session.exec(
        select(ReviewerProfile).where(ReviewerProfile.user_id == user_id)
    ).first()
    return profile or ReviewerProfile(user_id=user_id)


def save_profile(
    session: Session,
    *,
    actor: User,
    keywords: str,
    areas: list[str],
    languages: str,
    max_load: int,
    available: bool,
) -> ReviewerProfile:
    """A reviewer keeps their expertise, areas, languages, load and availability."""
    if not is_reviewer(actor):
        raise NotAllowed(N_("Only reviewers have a reviewer profile."))
    if not 0 <= max_load <= 50:
        raise RuleViolation(N_("The maximum load goes from 0 to 50 proposals."))
    profile = profile_of(session, actor.id)
    profile.keywords, profile.areas = keywords.strip(), ",".join(sorted(set(areas)))
    profile.languages, profile.max_load, profile.available = languages, max_load, available
    session.add(profile)
    audit.record(
        session,
        actor_id=actor.id,
        object_type="reviewer_profile",
        object_id=actor.id,
        action="update",
    )
    session.flush()
    return profile


def accept_confidentiality(session: Session, *, actor: User) -> ReviewerProfile:
    """The reviewer accepts the confidentiality statement before seeing any proposal."""
    profile = profile_of(session, actor.id)
    if profile.confidentiality_accepted_at is None:
        profile.confidentiality_accepted_at = utcnow()
        session.add(profile)
        audit.record(
            session,
            actor_id=actor.id,
            object_type="reviewer_profile",
            object_id=actor.id,
            action="accept_confidentiality",
        )
        session.flush()
    return profile


def place_bid(session: Session, *, actor: User, proposal_id: int, level: str) -> Bid:
    """Eager, willing or not willing to review a proposal."""
    if not is_reviewer(actor) or level not in set(BidLevel):
        raise NotAllowed(N_("Only reviewers can bid."))
    bid = session.exec(
        select(Bid).where(Bid.proposal_id == proposal_id, Bid.reviewer_id == actor.id)
    ).first()
    bid = bid or Bid(proposal_id=proposal_id, reviewer_id=actor.id, level=level)
    bid.level = level
    session.add(bid)
    session.flush()
    return bid


def declaration_for(session: Session, proposal_id: int, reviewer_id: int):
    return session.exec(
        select(ConflictDeclaration).where(
            ConflictDeclaration.proposal_id == proposal_id,
            ConflictDeclaration.reviewer_id == reviewer_id,
        )
    ).first()


def _person(session: Session, user: User | None, name: str, institution: str) -> Person:
    pubs: tuple[PublicationFacts, ...] = ()
    if user is not None:
        rows = session.exec(select(Publication).where(Publication.user_id == user.id)).all()
        pubs = tuple(
            PublicationFacts(p.year, tuple(a.strip() for a in p.authors.split(";") if a.strip()))
            for p in rows
        )
    return Person(name=name, institution=institution, publications=pubs)


def team_of(session: Session, proposal: Proposal) -> list[Person]:
    """The PI and the co-investigators, with their publications where they have accounts."""
    pi = session.get_one(User, proposal.pi_id)
    team = [_person(session, pi, pi.name, pi.institution)]
    for member in session.exec(
        select(CoInvestigator).where(CoInvestigator.proposal_id == proposal.id)
    ).all():
        user = session.get(User, member.user_id) if member.user_id else None
        team.append(_person(session, user, member.name, member.institution))
    return team


def conflicted_pairs(
    session: Session, proposals: list[Proposal], reviewers: list[User]
) -> dict[tuple[int, int], list[str]]:
    """Detected and declared conflicts, minus the ones a manager overrode."""
    year = utcnow().year
    found = {}
    for p in proposals:
        team = team_of(session, p)
        for r in reviewers:
            decl = declaration_for(session, p.id, r.id)
            if decl is not None and decl.overridden_by is not None:
                continue
            reasons = detect_conflicts(
                _person(session, r, r.name, r.institution), team, current_year=year
            )
            if decl is not None and decl.has_conflict:
                reasons.append(N_("Declared by the reviewer."))
            if p.pi_id == r.id:
                reasons.append(N_("The reviewer is the principal investigator."))
            if reasons:
                found[(p.id, r.id)] = reasons
    return found
