"""The PI's profile (institution, ORCID, CV, publications): entered once, used in proposals."""

import re

from sqlmodel import Session, col, select

from funds import audit
from funds.accounts.models import User
from funds.clock import utcnow
from funds.errors import N_, NotFound, RuleViolation
from funds.profiles.models import Profile, Publication
from funds.rules import Violation

ORCID = re.compile(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")


def orcid_is_valid(orcid: str) -> bool:
    """ORCID iD format and its ISO 7064 MOD 11-2 check digit (orcid.org's documented rule)."""
    if not ORCID.match(orcid):
        return False
    total = 0
    for ch in orcid.replace("-", "")[:-1]:
        total = (total + int(ch)) * 2
    check = (12 - total % 11) % 11
    return orcid[-1] == ("X" if check == 10 else str(check))


def profile_of(session: Session, user_id: int) -> Profile:
    return session.exec(select(Profile).where(Profile.user_id == user_id)).first() or Profile(
        user_id=user_id
    )


def update_profile(
    session: Session,
    *,
    actor: User,
    institution: str,
    orcid: str,
    title: str = "",
    position: str = "",
    cv: str = "",
) -> Profile:
    """The signed-in user edits their own profile."""
    orcid = orcid.strip().upper()
    if orcid and not orcid_is_valid(orcid):
        raise RuleViolation(
            N_("This is not a valid ORCID iD."),
            [Violation("orcid", N_("This is not a valid ORCID iD."))],
        )
    actor.institution, actor.orcid = institution.strip(), orcid or None
    profile = profile_of(session, actor.id)
    profile.title, profile.position, profile.cv = title.strip(), position.strip(), cv
    profile.updated_at = utcnow()
    session.add_all([actor, profile])
    session.flush()
    audit.record(
        session, actor_id=actor.id, object_type="profile", object_id=profile.id, action="update"
    )
    return profile


def publications_of(session: Session, user_id: int) -> list[Publication]:
    return list(
        session.exec(
            select(Publication)
            .where(Publication.user_id == user_id)
            .order_by(col(Publication.year).desc(), col(Publication.id))
        ).all()
    )


def add_publication(
    session: Session,
    *,
    actor: User,
    title: str,
    authors: str = "",
    year: int | None = None,
    venue: str = "",
    doi: str = "",
) -> Publication:
    pub = Publication(
        user_id=actor.id,
        title=title.strip(),
        authors=authors.strip(),
        year=year,
        venue=venue.strip(),
        doi=doi.strip() or None,
    )
    session.add(pub)
    session.flush()
    audit.record(
        session, actor_id=actor.id, object_type="publication", object_id=pub.id, action="create"
    )
    return pub


def remove_publication(session: Session, *, actor: User, publication_id: int) -> None:
    pub = session.get(Publication, publication_id)
    if pub is None or pub.user_id != actor.id:
        raise NotFound(N_("No such publication."))
    audit.record(
        session, actor_id=actor.id, object_type="publication", object_id=pub.id, action="delete"
    )
    session.delete(pub)
    session.flush()
