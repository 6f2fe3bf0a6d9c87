"""Pure business rules of calls and proposals: plain values in, violations out."""

import dataclasses
from dataclasses import dataclass

from funds.errors import N_

MAX_VND = 10**15  # a quadrillion đồng: above any national budget line, below 2**63


@dataclass(frozen=True)
class Violation:
    """One failing rule: the field it concerns, a translatable message and its values."""

    field: str
    message: str
    params: dict = dataclasses.field(default_factory=dict)  # `field` is the attribute above


def check_amount(value: int, *, field_name: str = "requested_vnd") -> list[Violation]:
    """An amount of đồng is a whole, non-negative number within range."""
    if not isinstance(value, int) or isinstance(value, bool):
        return [Violation(field_name, N_("Amounts are whole numbers of đồng."))]
    if value < 0:
        return [Violation(field_name, N_("Amounts cannot be negative."))]
    if value > MAX_VND:
        return [Violation(field_name, N_("The amount is larger than any budget allows."))]
    return []
