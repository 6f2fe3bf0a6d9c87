"""Pure rules of calls: the call-settings specification and what a call allows.

Each setting of a call is written once, in CALL_SETTINGS: the model's column defaults
(funds.calls.models.Call), the form's fields (portal.calls.forms.CallForm) and the rules'
parameters (CallRules below) are all read from it.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Generic, TypeVar

from funds.errors import N_
from funds.rules import Violation

T = TypeVar("T")


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One setting of a call: its name, default, allowed range and label (a msgid)."""

    name: str
    default: T
    label: str
    minimum: int | None = None
    maximum: int | None = None


INDIRECT_CAP_PCT = Setting(
    "indirect_cap_pct", 10, N_("Indirect costs cap (per cent of direct costs)"), 0, 100
)
MAX_DURATION_MONTHS = Setting("max_duration_months", 36, N_("Maximum duration (months)"), 1, 600)
REQUIRED_ATTACHMENTS: Setting[frozenset[str]] = Setting(
    "required_attachments", frozenset(), N_("Required attachments")
)
ABSTRACT_MAX_CHARS = Setting(
    "abstract_max_chars", 5000, N_("Abstract length limit (characters)"), 100, 20000
)
MAX_PROPOSALS_PER_PI = Setting(
    "max_proposals_per_pi",
    0,  # 0: no limit
    N_("Proposals per principal investigator (0: no limit)"),
    0,
    100,
)
ATTACHMENT_MAX_MB = Setting("attachment_max_mb", 10, N_("Attachment size limit (MB)"), 1, 50)
PDF_ONLY = Setting("pdf_only", True, N_("Attachments must be PDF"))
# The host organisation's endorsement (xác nhận của tổ chức chủ trì) after submission, within
# a period after the deadline (funds.hosts; the period's default is the fund's to verify).
REQUIRES_ENDORSEMENT = Setting(
    "requires_endorsement", False, N_("Requires the host organisation's endorsement")
)
ENDORSEMENT_DAYS = Setting(
    "endorsement_days", 10, N_("Endorsement period (days after the deadline)"), 0, 90
)
# The applicant's response to the anonymised reviews before the council meets (reviews.rebuttal;
# docs/rebuttal.md): 0 days means the call has none.
REBUTTAL_DAYS = Setting(
    "rebuttal_days", 0, N_("Applicant response period (days; 0: no response)"), 0, 30
)
REBUTTAL_MAX_CHARS = Setting(
    "rebuttal_max_chars", 3000, N_("Applicant response length limit (characters)"), 200, 20000
)
# Partial randomisation at the funding line (reviews.lottery; docs/lottery.md). Off by default:
# Vietnamese law neither provides for nor forbids a lottery, so a fund opts in per call.
LOTTERY_AT_LINE = Setting(
    "lottery_at_line", False, N_("Lottery among proposals that cannot be told from the line")
)
# Two-stage calls (docs/two-stage.md): a short pre-proposal (outline) first, then a full
# proposal by invitation; the full stage's deadline is the call's full_closes_at.
TWO_STAGE = Setting("two_stage", False, N_("Two stages: a pre-proposal, then full proposals"))
OUTLINE_MAX_CHARS = Setting(
    "outline_max_chars", 3000, N_("Pre-proposal outline length limit (characters)"), 100, 20000
)

CALL_SETTINGS: tuple[Setting, ...] = (
    INDIRECT_CAP_PCT,
    MAX_DURATION_MONTHS,
    REQUIRED_ATTACHMENTS,
    ABSTRACT_MAX_CHARS,
    MAX_PROPOSALS_PER_PI,
    ATTACHMENT_MAX_MB,
    PDF_ONLY,
    REQUIRES_ENDORSEMENT,
    ENDORSEMENT_DAYS,
    REBUTTAL_DAYS,
    REBUTTAL_MAX_CHARS,
    LOTTERY_AT_LINE,
    TWO_STAGE,
    OUTLINE_MAX_CHARS,
)
SETTING_NAMES = tuple(s.name for s in CALL_SETTINGS)


@dataclass(frozen=True)
class CallRules:
    """What a call allows, as plain values (the settings' defaults from CALL_SETTINGS)."""

    opens_at: datetime
    closes_at: datetime
    ceiling_vnd: int
    open_to_all_areas: bool
    eligible_areas: frozenset[str]
    indirect_cap_pct: int = INDIRECT_CAP_PCT.default
    max_duration_months: int = MAX_DURATION_MONTHS.default
    required_attachments: frozenset[str] = REQUIRED_ATTACHMENTS.default
    abstract_max_chars: int = ABSTRACT_MAX_CHARS.default
    max_proposals_per_pi: int = MAX_PROPOSALS_PER_PI.default
    attachment_max_mb: int = ATTACHMENT_MAX_MB.default
    pdf_only: bool = PDF_ONLY.default
    requires_endorsement: bool = REQUIRES_ENDORSEMENT.default
    endorsement_days: int = ENDORSEMENT_DAYS.default
    rebuttal_days: int = REBUTTAL_DAYS.default
    rebuttal_max_chars: int = REBUTTAL_MAX_CHARS.default
    lottery_at_line: bool = LOTTERY_AT_LINE.default
    two_stage: bool = TWO_STAGE.default
    outline_max_chars: int = OUTLINE_MAX_CHARS.default
    full_closes_at: datetime | None = None  # the full proposals' deadline (two stages)

    @property
    def attachment_max_bytes(self) -> int:
        return self.attachment_max_mb * 1024 * 1024


def call_is_open(rules: CallRules, now: datetime) -> bool:
    """Open from the opening instant (inclusive) to the closing instant (exclusive)."""
    return rules.opens_at <= now < rules.closes_at


class Stage(StrEnum):
    """The stage a proposal belongs to: a single-stage call's proposals are full ones."""

    OUTLINE = "outline"
    FULL = "full"


def stage_closes_at(rules: CallRules, stage: str) -> datetime | None:
    """The deadline of a stage: the call's closing for outlines and single-stage proposals,
    the full proposals' deadline for the full stage of a two-stage call."""
    if rules.two_stage and stage == Stage.FULL:
        return rules.full_closes_at
    return rules.closes_at


def stage_is_open(rules: CallRules, stage: str, now: datetime) -> bool:
    """Whether proposals of this stage are accepted now. The full stage has no opening of its
    own (an applicant enters it by invitation, after the shortlisting) and ends at its
    deadline."""
    if not (rules.two_stage and stage == Stage.FULL):
        return call_is_open(rules, now)
    return rules.full_closes_at is not None and now < rules.full_closes_at


def stage_violations(
    *, two_stage: bool, closes_at: datetime, full_closes_at: datetime | None
) -> list[Violation]:
    """A two-stage call needs the full proposals' deadline, after the pre-proposals close."""
    if not two_stage:
        return []
    if full_closes_at is None:
        return [
            Violation("full_closes_at", N_("A two-stage call needs the full proposals' deadline."))
        ]
    if full_closes_at <= closes_at:
        return [
            Violation(
                "full_closes_at",
                N_("The full proposals' deadline must come after the pre-proposals close."),
            )
        ]
    return []


def setting_violations(values: dict) -> list[Violation]:
    """Numeric settings outside the range their specification allows."""
    return [
        Violation(
            s.name, N_("Enter a number from %(lo)s to %(hi)s."), {"lo": s.minimum, "hi": s.maximum}
        )
        for s in CALL_SETTINGS
        if s.minimum is not None
        and s.maximum is not None
        and isinstance(values.get(s.name), int)
        and not s.minimum <= values[s.name] <= s.maximum
    ]
