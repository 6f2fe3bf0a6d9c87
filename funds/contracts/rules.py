"""Pure rules of contracts: the machine, the template's placeholders (a safe ${name}
syntax, never an expression), the contract number, the payment schedule and the
signatures that bring a contract into force."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from funds import templating
from funds.contracts.models import ContractStatus as CS
from funds.contracts.models import Party
from funds.errors import N_
from funds.projects.money.rules import advance_amount
from funds.projects.rules import add_months
from funds.rules import Violation
from funds.states import Machine, transitions

CONTRACT = Machine(
    "contract",
    CS,
    transitions(
        {
            CS.DRAFT: {CS.AWAITING_SIGNATURES, CS.CANCELLED},
            CS.AWAITING_SIGNATURES: {CS.IN_FORCE, CS.DRAFT, CS.CANCELLED},
            CS.IN_FORCE: set(),
            CS.CANCELLED: set(),
        }
    ),
    {
        CS.DRAFT: N_("Draft"),
        CS.AWAITING_SIGNATURES: N_("Sent for signature"),
        CS.IN_FORCE: N_("Signed, in force"),
        CS.CANCELLED: N_("Cancelled"),
    },
)

PARTIES: tuple[Party, ...] = (Party.FUND, Party.HOST, Party.PI)
PARTY_LABELS = {
    Party.FUND: N_("For the fund"),
    Party.HOST: N_("For the host organisation"),
    Party.PI: N_("Principal investigator"),
}

# The template's placeholders, written ${name}: only these names, no expression, no filter,
# no attribute; "$$" writes a dollar sign. Each is filled from the contract's record.
PLACEHOLDERS = {
    "contract_number": N_("the contract number (HD-<fund>-<year>-<n>)"),
    "contract_date": N_("the contract date: the day of the last signature"),
    "fund_name": N_("the fund's name"),
    "fund_signatory": N_("who signs for the fund"),
    "host_name": N_("the host organisation's legal name"),
    "host_tax_code": N_("its tax code"),
    "host_address": N_("its address"),
    "host_representative": N_("its legal representative"),
    "host_representative_title": N_("the representative's title"),
    "pi_name": N_("the principal investigator"),
    "project_title": N_("the task's title"),
    "start_date": N_("the start date"),
    "end_date": N_("the end date"),
    "duration_months": N_("the duration in months"),
    "total_vnd": N_("the approved state budget, in đồng"),
    "counterpart_vnd": N_("the counterpart funds, in đồng"),
    "funding_mode": N_("itemised or lump sum"),
    "advance_share": N_("the advance's share (per cent)"),
    "advance_vnd": N_("the advance, in đồng"),
    "final_report_due": N_("the final report's due date"),
    "regime_basis": N_("the closeout regime and its legal basis"),
}


def template_violations(body: str) -> list[Violation]:
    """A template has text, well-formed ${name} placeholders, and only known names."""
    return templating.violations(body, PLACEHOLDERS, empty=N_("The contract's text is empty."))


def fill_template(body: str, values: Mapping[str, str]) -> str:
    """The text with each ${name} replaced by its value (one pass)."""
    return templating.fill(body, PLACEHOLDERS, values)


def contract_number(fund_code: str, year: int, n: int) -> str:
    """HD-<fund code>-<year>-<n, four digits>: 'HD-NAFOSTED-2026-0001'."""
    return f"HD-{fund_code.upper()}-{year}-{n:04d}"


def default_dates(today: date, months: int) -> tuple[date, date]:
    """Start on the first day of next month; end the day before `months` later."""
    start = date(today.year + today.month // 12, today.month % 12 + 1, 1)
    return start, add_months(start, max(months, 1)) - timedelta(days=1)


def months_between(start: date, end: date) -> int:
    """Whole months from the start to the day after the end (24 for two years)."""
    after = end + timedelta(days=1)
    return (after.year - start.year) * 12 + after.month - start.month


def split_evenly(amount: int, parts: int) -> list[int]:
    """`amount` đồng in `parts` whole shares, the remainder on the last."""
    if parts <= 0:
        return []
    share = amount // parts
    return [share] * (parts - 1) + [amount - share * (parts - 1)]


@dataclass(frozen=True)
class Payment:
    """A line of the payment schedule: what, when, how much."""

    kind: str  # advance | tranche | final_payment
    when: str  # at signing, month N (its milestone accepted), after acceptance
    amount_vnd: int
    due_month: int | None = None


def payment_schedule(
    total_vnd: int, advance_vnd: int, tranches: Sequence[tuple[int, int]]
) -> list[Payment]:
    """Advance at signing, a tranche per milestone (due month, đồng), and the rest as the
    final payment after acceptance."""
    rows = [Payment("advance", "signing", advance_vnd)]
    rows += [Payment("tranche", "milestone", a, m) for m, a in tranches if a > 0]
    rest = total_vnd - advance_vnd - sum(a for _m, a in tranches)
    if rest > 0:
        rows.append(Payment("final_payment", "acceptance", rest))
    return rows


def schedule_violations(
    total_vnd: int, advance_vnd: int, tranches: Iterable[int]
) -> list[Violation]:
    """The advance and the tranches never add up to more than the contract's state money."""
    amounts = list(tranches)
    if any(a < 0 for a in amounts):
        return [Violation("tranches", N_("Amounts cannot be negative."))]
    if advance_vnd + sum(amounts) > total_vnd:
        return [
            Violation(
                "tranches",
                N_(
                    "The advance and the tranches (%(planned_vnd)s) exceed the contract's "
                    "state money (%(total_vnd)s)."
                ),
                {"planned_vnd": advance_vnd + sum(amounts), "total_vnd": total_vnd},
            )
        ]
    return []


def advance_of(total_vnd: int, share: Fraction) -> int:
    return advance_amount(total_vnd, share)


def in_force(signed_parties: Iterable[str]) -> bool:
    """A contract is in force when the fund, the host and the PI have signed one version."""
    return set(PARTIES) <= set(signed_parties)


def vnd(amount: int) -> str:
    """Đồng as written in a Vietnamese contract: 1.620.000.000."""
    return f"{amount:,}".replace(",", ".")


def percent(share) -> str:
    """A share in per cent as a Vietnamese text writes it: 30%, 12,5%."""
    value = Fraction(share) * 100
    shown = (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"))
    return f"{shown.normalize():f}".replace(".", ",") + "%"


def day(d: date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else "…/…/……"
