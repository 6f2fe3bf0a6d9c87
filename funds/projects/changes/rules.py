"""Pure rules of change requests: the kinds, the fund's deadline to decide, the caps on
extensions, the limit of a budget move the host makes alone, and the annex numbering."""

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from enum import StrEnum
from fractions import Fraction

from funds.errors import N_
from funds.projects.models import ChangeStatus
from funds.projects.rules import add_months
from funds.rules import Violation


class ChangeKind(StrEnum):
    EXTENSION = "extension"
    BUDGET_MOVE = "budget_move"
    PI_CHANGE = "pi_change"
    HOST_CHANGE = "host_change"
    SCOPE = "scope"
    SUSPENSION = "suspension"
    TERMINATION = "termination"


KIND_LABELS = {
    ChangeKind.EXTENSION: N_("Time extension"),
    ChangeKind.BUDGET_MOVE: N_("Budget move between categories"),
    ChangeKind.PI_CHANGE: N_("Change of principal investigator"),
    ChangeKind.HOST_CHANGE: N_("Change of host organisation"),
    ChangeKind.SCOPE: N_("Change of scope"),
    ChangeKind.SUSPENSION: N_("Suspension (stop funding)"),
    ChangeKind.TERMINATION: N_("Termination (stop funding)"),
}

# Both stop the funding: the award stops and is closed under its regime (docs/contracts.md).
STOPPING = frozenset({ChangeKind.SUSPENSION, ChangeKind.TERMINATION})


def decision_due(requested_on: date, days: int) -> date:
    """The day by which the fund decides (setting changes.decision_days)."""
    return requested_on + timedelta(days=days)


def decision_overdue(status: str, due_on: date | None, today: date) -> bool:
    """A request still pending after its deadline (highlighted to both sides)."""
    return status == ChangeStatus.PENDING and due_on is not None and today > due_on


def extension_refusal(
    *, approved_days: Sequence[int], days: int, end: date, max_months: int, max_count: int
) -> Violation | None:
    """At most `max_count` extensions, together moving the end date at most `max_months`
    past the end first agreed (the current end less the days already granted)."""
    if len(approved_days) + 1 > max_count:
        return Violation(
            "extension_days",
            N_("A contract is extended at most %(count)s times."),
            {"count": max_count},
        )
    first_end = end - timedelta(days=sum(approved_days))
    latest = add_months(first_end, max_months)
    if end + timedelta(days=days) > latest:
        return Violation(
            "extension_days",
            N_(
                "Extensions together move the end date at most %(months)s months past "
                "%(first_end)s, to %(latest)s."
            ),
            {"months": max_months, "first_end": first_end, "latest": latest},
        )
    return None


def budget_move_violation(
    lines: Mapping[str, int], from_category: str, to_category: str, amount: int | None
) -> Violation | None:
    """A move takes a positive amount, at most the line it leaves, to another category of
    the same year (`lines`: the year's state amounts by category)."""
    if not from_category or from_category == to_category or not to_category:
        return Violation("to_category", N_("Move money from one category to another."))
    if from_category not in lines:
        return Violation("from_category", N_("The budget has no such line in that year."))
    if amount is None or amount <= 0 or amount > lines[from_category]:
        return Violation(
            "amount_vnd",
            N_("The amount lies between 1 đồng and the line's %(line_vnd)s."),
            {"line_vnd": lines[from_category]},
        )
    return None


def within_limit(line_vnd: int, amount: int, share: Fraction) -> bool:
    """A move up to the fund's share of the line it leaves needs no approval."""
    return amount <= share * line_vnd


def next_annex(numbers: Iterable[int | None]) -> int:
    """Annexes are numbered 1, 2, … in the order changes are approved."""
    return max((n for n in numbers if n is not None), default=0) + 1


def annex_summary(kind: str, **facts) -> str:
    """The annex's words when the manager writes none: what the change does (data kept on
    the request; the contract renders it in the contract's language)."""
    parts = {
        ChangeKind.EXTENSION: "end date moved to {end}",
        ChangeKind.BUDGET_MOVE: "{amount} đồng moved from {source} to {target} in {year}",
        ChangeKind.PI_CHANGE: "principal investigator: {name}",
        ChangeKind.HOST_CHANGE: "host organisation: {host}",
        ChangeKind.SCOPE: "scope changed",
        ChangeKind.SUSPENSION: "funding suspended; the task closes under its regime",
        ChangeKind.TERMINATION: "contract terminated; the task closes under its regime",
    }
    return parts[ChangeKind(kind)].format(**facts)
