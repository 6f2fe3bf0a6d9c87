"""Who manages each fund: administrators add and remove managers; every change is audited."""

from sqlmodel import Session, col, select

from funds import audit
from funds.accounts.models import Role, User, UserRole
from funds.accounts.permissions import is_manager
from funds.calls.models import Fund, FundManager
from funds.calls.permissions import can_assign_fund_managers, can_view_fund
from funds.errors import N_, NotAllowed, NotFound, RuleViolation


def get_fund_for(session: Session, *, fund_id: int, actor: User) -> Fund:
    """The fund if the actor manages it or is an administrator; otherwise NotFound."""
    fund = session.get(Fund, fund_id)
    if fund is None or not can_view_fund(fund, actor):
        raise NotFound(N_("No such fund."))
    return fund


def managers_of(session: Session, fund_id: int) -> list[User]:
    """The fund's managers by name."""
    return list(
        session.exec(
            select(User)
            .join(FundManager, col(FundManager.user_id) == User.id)
            .where(FundManager.fund_id == fund_id)
            .order_by(User.name)
        ).all()
    )


def manager_candidates(session: Session, fund_id: int) -> list[User]:
    """Active holders of the manager role who do not manage the fund yet."""
    linked = select(FundManager.user_id).where(FundManager.fund_id == fund_id)
    return list(
        session.exec(
            select(User)
            .join(UserRole, col(UserRole.user_id) == User.id)
            .where(UserRole.role == Role.MANAGER, User.is_active, col(User.id).not_in(linked))
            .order_by(User.name)
        ).all()
    )


def link_manager(
    session: Session, *, fund: Fund, user: User, actor: User, reason: str
) -> FundManager:
    """Add the link and its audit entry (the caller has checked who may do it)."""
    row = FundManager(fund_id=fund.id, user_id=user.id)
    fund.manager_rows.append(row)  # keeps the loaded list in step with the table
    session.flush()
    audit.record(
        session,
        actor_id=actor.id,
        object_type="fund",
        object_id=fund.id,
        action="add_manager",
        to_state="manager",
        detail=f"user {user.id}: {reason}",
    )
    return row


def add_fund_manager(session: Session, *, actor: User, fund_id: int, user_id: int) -> FundManager:
    """An administrator makes a manager one of the fund's managers; effective at once."""
    if not can_assign_fund_managers(actor):
        raise NotAllowed(N_("Only administrators assign fund managers."))
    fund = get_fund_for(session, fund_id=fund_id, actor=actor)
    user = session.get(User, user_id)
    if user is None or not is_manager(user):
        raise RuleViolation(N_("Only active holders of the manager role can manage a fund."))
    if any(row.user_id == user.id for row in fund.manager_rows):
        raise RuleViolation(N_("This person already manages this fund."))
    return link_manager(session, fund=fund, user=user, actor=actor, reason="assigned")


def remove_fund_manager(session: Session, *, actor: User, fund_id: int, user_id: int) -> None:
    """An administrator removes a manager from the fund; their access ends at once."""
    if not can_assign_fund_managers(actor):
        raise NotAllowed(N_("Only administrators assign fund managers."))
    fund = get_fund_for(session, fund_id=fund_id, actor=actor)
    row = next((r for r in fund.manager_rows if r.user_id == user_id), None)
    if row is None:
        raise NotFound(N_("This person does not manage this fund."))
    fund.manager_rows.remove(row)  # delete-orphan: the row goes with the next flush
    session.flush()
    audit.record(
        session,
        actor_id=actor.id,
        object_type="fund",
        object_id=fund.id,
        action="remove_manager",
        from_state="manager",
        detail=f"user {user_id}",
    )
