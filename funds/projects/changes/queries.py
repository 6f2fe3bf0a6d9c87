"""Reads of change requests for the project page."""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from funds.accounts.models import User
from funds.projects.changes import rules
from funds.projects.models import Award, ChangeRequest, ChangeStatus


@dataclass(frozen=True)
class ChangeRow:
    change: ChangeRequest
    overdue: bool  # pending past the fund's deadline
    new_pi: User | None


def change_rows(session: Session, award: Award, today: date) -> list[ChangeRow]:
    """The award's change requests, each with its deadline's state and the new PI named."""
    rows = session.exec(
        select(ChangeRequest)
        .where(ChangeRequest.award_id == award.id)
        .order_by(col(ChangeRequest.id))
    ).all()
    return [
        ChangeRow(
            c,
            rules.decision_overdue(c.status, c.due_on, today),
            session.get(User, c.new_pi_id) if c.new_pi_id else None,
        )
        for c in rows
    ]


def approved(session: Session, award_id: int, kind: str) -> list[ChangeRequest]:
    return list(
        session.exec(
            select(ChangeRequest)
            .where(
                ChangeRequest.award_id == award_id,
                ChangeRequest.kind == kind,
                ChangeRequest.status == ChangeStatus.APPROVED,
            )
            .order_by(col(ChangeRequest.id))
        ).all()
    )


def current_host(session: Session, award: Award) -> str | None:
    """The name of the host of the latest approved change of host (None: none approved;
    the project's host is then the proposal's own)."""
    changes = approved(session, award.id, rules.ChangeKind.HOST_CHANGE)
    return changes[-1].new_host if changes else None
