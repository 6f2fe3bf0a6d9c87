"""What the Money section of a project offers a user, decided here from the facts, never in
the template: every money action belongs to the managers of the project's fund."""

from collections.abc import Sequence
from dataclasses import dataclass

from funds.accounts.models import User
from funds.projects.models import Award, Closeout
from funds.projects.money import rules
from funds.projects.money.models import Movement, MovementKind, MovementStatus
from funds.projects.permissions import can_manage_project
from funds.projects.regimes.rules import Rating
from funds.projects.rules import is_running
from funds.proposals.models import Proposal


@dataclass(frozen=True)
class MoneyActions:
    can_pay_advance: bool
    releasable: frozenset[int]  # ids of the tranches a manager may release now
    can_plan_tranche: bool
    can_final_payment: bool
    can_settle: bool
    can_refund: bool
    can_adjust: bool
    can_liquidate: bool

    @property
    def any(self) -> bool:
        return any(
            (
                self.can_pay_advance,
                self.releasable,
                self.can_plan_tranche,
                self.can_final_payment,
                self.can_settle,
                self.can_refund,
                self.can_adjust,
                self.can_liquidate,
            )
        )


NOTHING = MoneyActions(False, frozenset(), False, False, False, False, False, False)


def _has(movements: Sequence[Movement], kind: str) -> bool:
    return any(m.kind == kind and m.status != MovementStatus.CANCELLED for m in movements)


def money_actions(
    award: Award,
    proposal: Proposal,
    user: User,
    *,
    movements: Sequence[Movement],
    due_tranches: frozenset[int],
    closeout: Closeout | None,
    balance: rules.Balance | None,
    settled: bool,
) -> MoneyActions:
    """The money buttons: advance while in force and not yet paid; a tranche whose milestone
    is accepted or whose date has come (`due_tranches`); after the closeout, the final
    payment (a rating that passed), settlement, refund or adjustment by the balance's sign,
    liquidation once settled at zero."""
    if not can_manage_project(proposal, user):
        return NOTHING
    running = is_running(award.status)
    liquidated = _has(movements, MovementKind.LIQUIDATION)
    closed = balance is not None and not liquidated
    due = balance.due_vnd if balance is not None else 0
    return MoneyActions(
        can_pay_advance=running and not _has(movements, MovementKind.ADVANCE),
        releasable=frozenset(
            m.id
            for m in movements
            if running
            and m.kind == MovementKind.TRANCHE
            and rules.is_outstanding(m.status)
            and m.id in due_tranches
        ),
        can_plan_tranche=running,
        can_final_payment=closed
        and closeout is not None
        and closeout.rating != Rating.FAIL
        and not _has(movements, MovementKind.FINAL_PAYMENT),
        can_settle=closed,
        can_refund=closed and due > 0,
        can_adjust=closed and settled and due < 0,
        can_liquidate=closed and settled and due == 0,
    )
