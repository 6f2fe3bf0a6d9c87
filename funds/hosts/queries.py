"""Read models of the register and of endorsements (no writes)."""

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from funds.accounts.models import Role, User, UserRole
from funds.hosts.models import (
    Endorsement,
    EndorsementStatus,
    Host,
    HostImportIssue,
    HostOfficer,
    HostStatus,
)
from funds.hosts.rules import PICKABLE, Registered, fold_name, fold_text


def register_for_duplicates(session: Session) -> list[Registered]:
    """Every organisation not rejected, as the duplicate check compares them."""
    rows = session.exec(select(Host).where(Host.status != HostStatus.REJECTED)).all()
    return [
        Registered(h.id, h.name_vi, h.tax_code, h.folded_name, fold_name(h.name_en)) for h in rows
    ]


def search_hosts(session: Session, q: str = "", *, statuses=None, limit: int = 200) -> list[Host]:
    """The register, searched by folded name (accents optional), tax code or line agency."""
    stmt = select(Host).order_by(col(Host.name_vi)).limit(limit)
    if statuses:
        stmt = stmt.where(col(Host.status).in_(list(statuses)))
    needle = fold_name(q) or fold_text(q).strip()
    if needle:
        like = f"%{needle}%"
        stmt = stmt.where(
            or_(
                col(Host.folded_name).like(like),
                col(Host.tax_code).like(f"%{q.strip()}%"),
                func.lower(col(Host.name_en)).like(f"%{q.strip().lower()}%"),
            )
        )
    return list(session.exec(stmt).all())


def pickable_hosts(session: Session, user_id: int) -> list[Host]:
    """The organisations an applicant may name: the register's, and their own requests."""
    stmt = (
        select(Host)
        .where(
            col(Host.status).in_(list(PICKABLE))
            | ((Host.status == HostStatus.REQUESTED) & (Host.requested_by == user_id))
        )
        .order_by(col(Host.name_vi))
    )
    return list(session.exec(stmt).all())


def host_ids_of_officer(session: Session, user_id: int) -> list[int]:
    return list(
        session.exec(
            select(HostOfficer.host_id)
            .where(HostOfficer.user_id == user_id)
            .order_by(col(HostOfficer.host_id))
        ).all()
    )


def officers_of(session: Session, host_id: int) -> list[User]:
    return list(
        session.exec(
            select(User)
            .join(HostOfficer, col(HostOfficer.user_id) == User.id)
            .where(HostOfficer.host_id == host_id)
            .order_by(col(User.name))
        ).all()
    )


def officer_candidates(session: Session, host_id: int) -> list[User]:
    """Active accounts with the host officer role not linked to this organisation yet."""
    linked = select(HostOfficer.user_id).where(HostOfficer.host_id == host_id)
    return list(
        session.exec(
            select(User)
            .join(UserRole, col(UserRole.user_id) == User.id)
            .where(
                UserRole.role == Role.HOST_OFFICER,
                col(User.is_active).is_(True),
                col(User.id).not_in(linked),
            )
            .order_by(col(User.name))
        ).all()
    )


def latest_endorsement(session: Session, proposal_id: int) -> Endorsement | None:
    """The endorsement of the proposal's latest submitted version, if one was required."""
    return session.exec(
        select(Endorsement)
        .where(Endorsement.proposal_id == proposal_id)
        .order_by(col(Endorsement.id).desc())
    ).first()


def endorsement_ok(session: Session, proposal_id: int) -> bool:
    """Whether the proposal may be funded as far as its host is concerned: its call did not
    require an endorsement, or the host endorsed the version the fund decides on. The
    funding decisions call it (funds.proposals.services.record_decision, the funding line,
    a selection council's decision)."""
    latest = latest_endorsement(session, proposal_id)
    return latest is None or latest.status == EndorsementStatus.ENDORSED


def endorsements_by_proposal(session: Session, proposal_ids: list[int]) -> dict[int, Endorsement]:
    """The latest endorsement of each proposal (for the managers' lists)."""
    if not proposal_ids:
        return {}
    found: dict[int, Endorsement] = {}
    for e in session.exec(
        select(Endorsement)
        .where(col(Endorsement.proposal_id).in_(proposal_ids))
        .order_by(col(Endorsement.id))
    ):
        found[e.proposal_id] = e
    return found


def endorsement_for_submission(session: Session, submission_id: int) -> Endorsement | None:
    return session.exec(
        select(Endorsement).where(Endorsement.submission_id == submission_id)
    ).first()


def import_issues(session: Session) -> list[HostImportIssue]:
    """What migration 0023 could not turn into an organisation, for the register's keepers."""
    return list(session.exec(select(HostImportIssue).order_by(col(HostImportIssue.id))).all())
