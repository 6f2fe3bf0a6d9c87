"""Pure business rules of calls and proposals: plain values in, violations out."""

from dataclasses import dataclass
from datetime import datetime


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


def call_is_open(rules: CallRules, now: datetime) -> bool:
    """Open from the opening instant (inclusive) to the closing instant (exclusive)."""
    return rules.opens_at <= now < rules.closes_at
