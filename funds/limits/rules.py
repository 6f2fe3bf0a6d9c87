"""Pure rules of a fund's limits: how many proposals one person may lead at once and how many
projects in progress, counted across every fund of the portal, and the text similarity above
which the overlap screening flags a pair (reviews.overlap).

Each setting is written once, in FUND_SETTINGS (the same `Setting` specification as a call's,
funds.calls.rules), and read by the model, the form and the checks.

Defaults and why (docs/overlap.md):
- both limits default to 0, no limit: the one Vietnamese rule we know of (a person may not
  lead two or more national tasks in progress at once, as the selection rules for national
  S&T tasks have long said) is not verified in /work/shared/LEGAL_NOTES.md and does not bind
  every fund; a fund that applies it sets `max_active_projects` to 1. NIH's cap (NOT-OD-25-132:
  six applications per PI per calendar year) counts applications per year, another measure.
- the threshold defaults to 50 per cent: on real texts (tests/overlap_texts.py) a proposal
  reworded from another scores 0.85 in Vietnamese and 0.62 with English abstracts, while
  distinct work of one field scores below 0.3; 0.5 leaves room on both sides.
"""

from dataclasses import dataclass

from funds.calls.rules import Setting
from funds.errors import N_
from funds.proposals.eligibility import CheckItem
from funds.rules import Violation

MAX_LED_PROPOSALS = Setting(
    "max_led_proposals",
    0,  # 0: no limit
    N_("Submitted proposals one person may lead at once, across every fund (0: no limit)"),
    0,
    50,
)
MAX_ACTIVE_PROJECTS = Setting(
    "max_active_projects",
    0,  # 0: no limit
    N_("Projects in progress one person may lead when proposing, across every fund (0: no limit)"),
    0,
    50,
)
OVERLAP_THRESHOLD_PCT = Setting(
    "overlap_threshold_pct",
    50,
    N_("Text similarity from which two proposals are flagged as overlapping (per cent)"),
    10,
    100,
)
FUND_SETTINGS: tuple[Setting, ...] = (MAX_LED_PROPOSALS, MAX_ACTIVE_PROJECTS, OVERLAP_THRESHOLD_PCT)


@dataclass(frozen=True)
class Limits:
    """A fund's limits as plain values (the defaults from FUND_SETTINGS)."""

    max_led_proposals: int = MAX_LED_PROPOSALS.default
    max_active_projects: int = MAX_ACTIVE_PROJECTS.default
    overlap_threshold_pct: int = OVERLAP_THRESHOLD_PCT.default

    @property
    def threshold(self) -> float:
        return self.overlap_threshold_pct / 100


@dataclass(frozen=True)
class PersonLoad:
    """What one person leads now, in every fund: other submitted proposals, projects running."""

    led_proposals: int
    active_projects: int


def limit_checks(load: PersonLoad, limits: Limits) -> list[CheckItem]:
    """The eligibility items of the fund's limits; none where the fund sets no limit."""
    items = []
    if limits.max_led_proposals:
        items.append(
            CheckItem(
                "led_proposals",
                load.led_proposals < limits.max_led_proposals,
                N_(
                    "You already lead %(count)s submitted proposal(s) across the portal's funds; "
                    "this fund allows a person to lead at most %(limit)s at once."
                ),
                "call",
                {"count": load.led_proposals, "limit": limits.max_led_proposals},
                N_(
                    "You lead %(count)s other submitted proposal(s) across the portal's funds, "
                    "within this fund's limit of %(limit)s."
                ),
            )
        )
    if limits.max_active_projects:
        items.append(
            CheckItem(
                "active_projects",
                load.active_projects < limits.max_active_projects,
                N_(
                    "You lead %(count)s project(s) in progress; this fund accepts proposals "
                    "only from people leading fewer than %(limit)s."
                ),
                "call",
                {"count": load.active_projects, "limit": limits.max_active_projects},
                N_(
                    "You lead %(count)s project(s) in progress, fewer than this fund's limit "
                    "of %(limit)s."
                ),
            )
        )
    return items


def setting_violations(values: dict) -> list[Violation]:
    """Settings outside the range their specification allows."""
    return [
        Violation(
            s.name, N_("Enter a number from %(lo)s to %(hi)s."), {"lo": s.minimum, "hi": s.maximum}
        )
        for s in FUND_SETTINGS
        if not isinstance(values.get(s.name), int) or not s.minimum <= values[s.name] <= s.maximum
    ]
