"""Pure rules of an award's money: the movement machine, the advance, the ledger's net
disbursement per year, the fund's allocation, the settlement's differences and the balance
that liquidation needs at zero. Amounts are whole đồng; shares are Fractions."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from funds.errors import N_
from funds.projects.money.models import MovementKind as K
from funds.projects.money.models import MovementStatus as MS
from funds.projects.regimes.rules import round_half_up
from funds.rules import Violation
from funds.states import Machine, transitions

# A movement is planned (a tranche on the payment schedule), approved by a manager (or by
# the acceptance of its milestone's report), then paid; a payment waits as held while a
# reporting period past its due date has no accepted report (funds.projects.rules
# .payment_held). What will never be paid is cancelled (a stop, a liquidation).
MOVEMENT = Machine(
    "movement",
    MS,
    transitions(
        {
            MS.PLANNED: {MS.APPROVED, MS.HELD, MS.CANCELLED},
            MS.HELD: {MS.APPROVED, MS.CANCELLED},
            MS.APPROVED: {MS.PAID, MS.HELD, MS.CANCELLED},
            MS.PAID: set(),
            MS.CANCELLED: set(),
        }
    ),
    {
        MS.PLANNED: N_("Planned"),
        MS.HELD: N_("Held"),
        MS.APPROVED: N_("Approved"),
        MS.PAID: N_("Paid"),
        MS.CANCELLED: N_("Cancelled"),
    },
    refusal=N_("This payment is not in a state that allows this step."),
)

OUTGOING = frozenset({K.ADVANCE, K.TRANCHE, K.FINAL_PAYMENT, K.SETTLEMENT_ADJUSTMENT})
OUTSTANDING = frozenset({MS.PLANNED, MS.HELD, MS.APPROVED})

KIND_LABELS = {
    K.ADVANCE: N_("Advance"),
    K.TRANCHE: N_("Tranche"),
    K.FINAL_PAYMENT: N_("Final payment"),
    K.SETTLEMENT_ADJUSTMENT: N_("Settlement adjustment"),
    K.REFUND: N_("Refund"),
    K.LIQUIDATION: N_("Liquidation"),
}


def signed(kind: str, amount: int) -> int:
    """The movement's effect on what the host holds: + paid out, − refunded, 0 liquidation."""
    if kind == K.REFUND:
        return -amount
    return amount if kind in OUTGOING else 0


def is_outstanding(status: str) -> bool:
    """A movement that may still be paid (planned, held or approved)."""
    return status in OUTSTANDING


def advance_amount(state_committed_vnd: int, share: Fraction) -> int:
    """The advance at signing: the fund's share of the state money committed, to the đồng."""
    return round_half_up(share * state_committed_vnd)


@dataclass(frozen=True)
class Paid:
    """A paid movement as the ledger sees it: its kind, amount and fiscal year."""

    kind: str
    amount_vnd: int
    fiscal_year: int


def net_disbursed_by_year(paid: Iterable[Paid]) -> dict[int, int]:
    """The ledger's *disbursed* per fiscal year: paid − refunded, never negative. A refund
    offsets its own year's payments first, then the years before it (latest first), then
    later ones: the ledger takes no negative line, and the total is always paid − refunded."""
    rows = list(paid)
    net: dict[int, int] = {}
    for row in rows:
        if row.kind in OUTGOING:
            net[row.fiscal_year] = net.get(row.fiscal_year, 0) + row.amount_vnd
    for row in sorted((r for r in rows if r.kind == K.REFUND), key=lambda r: r.fiscal_year):
        left = row.amount_vnd
        order = sorted((y for y in net if y <= row.fiscal_year), reverse=True) + sorted(
            y for y in net if y > row.fiscal_year
        )
        for year in order:
            take = min(left, net[year])
            net[year] -= take
            left -= take
        if left:
            raise ValueError("a refund larger than everything paid")
    return net


@dataclass(frozen=True)
class AllocationCheck:
    """One fiscal year of a fund's allocation against what is already used (committed for
    a contract, disbursed for a payment) and what is being added."""

    fiscal_year: int
    allocated_vnd: int | None  # None: no allocation recorded for the year (not checked)
    used_vnd: int
    adding_vnd: int

    @property
    def remaining_vnd(self) -> int | None:
        """What remains before the addition."""
        return None if self.allocated_vnd is None else self.allocated_vnd - self.used_vnd

    @property
    def after_vnd(self) -> int | None:
        return None if self.allocated_vnd is None else self.remaining_vnd - self.adding_vnd  # type: ignore[operator]

    @property
    def exceeded(self) -> bool:
        return self.after_vnd is not None and self.after_vnd < 0


def allocation_checks(
    allocated: Mapping[int, int], used: Mapping[int, int], adding: Mapping[int, int]
) -> list[AllocationCheck]:
    """Each year of the addition against the fund's allocation (years in order)."""
    return [
        AllocationCheck(year, allocated.get(year), used.get(year, 0), amount)
        for year, amount in sorted(adding.items())
        if amount > 0
    ]


def allocation_refusal(checks: Sequence[AllocationCheck], override: str) -> Violation | None:
    """Stopped when a year's allocation would go negative, unless a reason is given."""
    over = [c for c in checks if c.exceeded]
    if not over or override.strip():
        return None
    first = over[0]
    return Violation(
        "allocation_override",
        N_(
            "The fund's allocation for %(year)s would go negative: %(remaining_vnd)s remain, "
            "%(adding_vnd)s are asked (%(after_vnd)s after). Give a reason to go past the "
            "allocation."
        ),
        {
            "year": first.fiscal_year,
            "remaining_vnd": first.remaining_vnd,
            "adding_vnd": first.adding_vnd,
            "after_vnd": first.after_vnd,
        },
    )


@dataclass(frozen=True)
class SpentLine:
    """What the settlement says was spent on one approved budget line."""

    category: str
    fiscal_year: int
    source: str
    spent_vnd: int
    explanation: str = ""


def needs_explanation(approved_vnd: int, spent_vnd: int, tolerance: Fraction) -> bool:
    """A difference from the approved line beyond the fund's tolerance (a share of the line)
    is explained; spending on a line with nothing approved always is."""
    return abs(spent_vnd - approved_vnd) > tolerance * approved_vnd


def settlement_violations(
    approved: Mapping[tuple[str, int, str], int],
    spent: Sequence[SpentLine],
    tolerance: Fraction,
) -> list[Violation]:
    """Each approved line settled once, amounts whole and not negative, and a difference
    beyond the tolerance explained (the violation names the line: category, year, source)."""
    found: list[Violation] = []
    seen = set()
    for n, line in enumerate(spent):
        key = (line.category, line.fiscal_year, line.source)
        if key not in approved or key in seen:
            found.append(Violation(f"lines-{n}", N_("Settle each approved budget line once.")))
            continue
        seen.add(key)
        if line.spent_vnd < 0:
            found.append(Violation(f"lines-{n}", N_("Amounts cannot be negative.")))
        elif needs_explanation(approved[key], line.spent_vnd, tolerance) and not (
            line.explanation.strip()
        ):
            found.append(
                Violation(
                    f"lines-{n}",
                    N_(
                        "%(category)s %(year)s: spent %(spent_vnd)s against %(approved_vnd)s "
                        "approved; explain the difference."
                    ),
                    {
                        "category": line.category,
                        "year": line.fiscal_year,
                        "spent_vnd": line.spent_vnd,
                        "approved_vnd": approved[key],
                    },
                )
            )
    missing = set(approved) - seen
    if missing:
        found.append(Violation("lines", N_("Settle every approved budget line.")))
    return found


@dataclass(frozen=True)
class Balance:
    """What is still owed under the contract: positive, the host returns it (a refund);
    negative, the fund pays it (a settlement adjustment); zero, the contract can be
    liquidated."""

    paid_out_vnd: int
    refunded_vnd: int
    spent_vnd: int  # the settlement's state spending, else the final report's funds used
    recovered_vnd: int  # returned beyond the unused balance (the closeout's regime)
    savings_kept: bool  # a lump sum accepted as passing keeps what it did not spend

    @property
    def due_vnd(self) -> int:
        if self.savings_kept:
            return -self.refunded_vnd
        return self.paid_out_vnd - self.refunded_vnd - self.spent_vnd + self.recovered_vnd


def recovered_beyond_unused(refund_vnd: int, disbursed_at_close: int, used_vnd: int) -> int:
    """The part of the closeout's refund beyond the unused balance at closeout: the amount
    used outside purpose, the earlier rules' share of the funds used, or full recovery."""
    return refund_vnd - max(0, disbursed_at_close - used_vnd)


def liquidation_refusal(balance: Balance | None, settled: bool, closed: bool) -> Violation | None:
    """Liquidation needs the project closed, the accounts settled and a balance of zero."""
    if not closed:
        return Violation("award", N_("A contract is liquidated after its closeout."))
    if not settled:
        return Violation("settlement", N_("Settle the accounts before liquidating the contract."))
    assert balance is not None
    if balance.due_vnd > 0:
        return Violation(
            "balance",
            N_(
                "The balance is not zero: the host still owes %(due_vnd)s (paid out "
                "%(paid_vnd)s, refunded %(refunded_vnd)s, spent %(spent_vnd)s)."
            ),
            _figures(balance),
        )
    if balance.due_vnd < 0:
        return Violation(
            "balance",
            N_(
                "The balance is not zero: the fund still owes %(owed_vnd)s (paid out "
                "%(paid_vnd)s, refunded %(refunded_vnd)s, spent %(spent_vnd)s)."
            ),
            {**_figures(balance), "owed_vnd": -balance.due_vnd},
        )
    return None


def _figures(balance: Balance) -> dict:
    return {
        "due_vnd": balance.due_vnd,
        "paid_vnd": balance.paid_out_vnd,
        "refunded_vnd": balance.refunded_vnd,
        "spent_vnd": balance.spent_vnd,
    }


def running_balance(movements: Iterable[tuple[str, str, int]]) -> list[int]:
    """After each movement (kind, status, amount), what the host holds of the fund's money:
    paid movements only count."""
    total, out = 0, []
    for kind, status, amount in movements:
        if status == MS.PAID:
            total += signed(kind, amount)
        out.append(total)
    return out
