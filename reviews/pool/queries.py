"""Read models of the reviewer pool for managers."""

from dataclasses import dataclass

from sqlmodel import Session, col, select

from funds.accounts.models import Role, User, UserRole
from funds.text import SEARCH_LIMIT, search
from reviews.pool.models import ReviewerProfile


@dataclass(frozen=True)
class PoolRow:
    reviewer: User
    keywords: str
    available: bool


def pool_rows(session: Session, q: str = "", *, limit: int = SEARCH_LIMIT) -> list[PoolRow]:
    """Active reviewers with their profile, found by name, institution or keywords with
    accents optional (funds.text), at most `limit`."""
    pairs = session.exec(
        select(User, ReviewerProfile)
        .join(UserRole, col(UserRole.user_id) == User.id)
        .join(ReviewerProfile, col(ReviewerProfile.user_id) == User.id, isouter=True)
        .where(UserRole.role == Role.REVIEWER, User.is_active)
        .order_by(col(User.name), col(User.id))
    ).all()
    found = search(pairs, q, lambda r: (r[0].name, r[0].institution, r[1].keywords if r[1] else ""))
    return [
        PoolRow(u, (p.keywords if p else ""), (p.available if p else True))
        for u, p in found[:limit]
    ]
