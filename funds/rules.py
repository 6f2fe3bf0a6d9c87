"""Pure business rules of calls and proposals: plain values in, violations out."""

from dataclasses import dataclass, field
from datetime import datetime

from funds.errors import N_
from funds.models.proposals import ProposalStatus as PS

# The allowed moves of a proposal, written once.
PROPOSAL_TRANSITIONS: dict[str, frozenset[str]] = {
    PS.DRAFT: frozenset({PS.SUBMITTED}),
    PS.SUBMITTED: frozenset({PS.WITHDRAWN, PS.FUNDED, PS.NOT_FUNDED, PS.DRAFT}),
    PS.WITHDRAWN: frozenset({PS.DRAFT}),
    PS.FUNDED: frozenset(),
    PS.NOT_FUNDED: frozenset(),
}

MAX_VND = 10**15  # a quadrillion đồng: above any national budget line, below 2**63


@dataclass(frozen=True)
class Violation:
    """One failing rule: the field it concerns, a translatable message and its values."""

    field: str
    message: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class CallRules:
    """What a call allows, as plain values."""

    opens_at: datetime
    closes_at: datetime
    ceiling_vnd: int
    open_to_all_areas: bool
    eligible_areas: frozenset[str]
    indirect_cap_pct: int = 100
    max_duration_months: int = 600
    required_attachments: frozenset[str] = frozenset()
    abstract_max_chars: int = 20000
    max_proposals_per_pi: int = 0  # 0: no limit
    attachment_max_bytes: int = 10 * 1024 * 1024
    pdf_only: bool = True


def can_move(current: str, target: str) -> bool:
    """Whether a proposal may go from `current` to `target`."""
    return target in PROPOSAL_TRANSITIONS.get(current, frozenset())


def call_is_open(rules: CallRules, now: datetime) -> bool:
    """Open from the opening instant (inclusive) to the closing instant (exclusive)."""
    return rules.opens_at <= now < rules.closes_at


def check_amount(value: int, *, field_name: str = "requested_vnd") -> list[Violation]:
    """An amount of đồng is a whole, non-negative number within range."""
    if not isinstance(value, int) or isinstance(value, bool):
        return [Violation(field_name, N_("Amounts are whole numbers of đồng."))]
    if value < 0:
        return [Violation(field_name, N_("Amounts cannot be negative."))]
    if value > MAX_VND:
        return [Violation(field_name, N_("The amount is larger than any budget allows."))]
    return []


def proposal_violations(
    *, title: str, requested_vnd: int, area_code: str | None, rules: CallRules
) -> list[Violation]:
    """What stops a proposal from being submitted to a call, beyond the call being open."""
    found = list(check_amount(requested_vnd))
    if not title.strip():
        found.append(Violation("title", N_("A title is required.")))
    if not found and requested_vnd <= 0:
        found.append(Violation("requested_vnd", N_("Request an amount above zero.")))
    if not found and requested_vnd > rules.ceiling_vnd:
        found.append(
            Violation(
                "requested_vnd",
                N_("The request exceeds the call's ceiling of %(ceiling_vnd)s."),
                {"ceiling_vnd": rules.ceiling_vnd},
            )
        )
    if not rules.open_to_all_areas:
        if area_code is None:
            found.append(Violation("area_code", N_("This call requires a strategic area.")))
        elif area_code not in rules.eligible_areas:
            found.append(
                Violation("area_code", N_("This strategic area is not eligible in this call."))
            )
    return found
