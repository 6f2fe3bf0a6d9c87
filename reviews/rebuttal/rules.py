"""Pure rules of the applicant's response (docs/rebuttal.md): when it may open and be sent,
and how its length is counted.

The response window opens only once every submitted proposal of the call has its external
reviews complete (no assignment still waiting, at least one review submitted), and never
once the selection council has met. The principal investigator answers within the call's
number of days (server time; shown in Asia/Ho_Chi_Minh) and characters.
"""

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from funds.errors import N_
from funds.rules import Violation


@dataclass(frozen=True)
class ReviewState:
    """One proposal's external reviews: assignments still waiting, reviews submitted."""

    proposal_id: int
    waiting: int
    submitted: int

    @property
    def complete(self) -> bool:
        return self.waiting == 0 and self.submitted > 0


def incomplete(states: Sequence[ReviewState]) -> list[int]:
    """The proposals whose external reviews are not complete (the window cannot open)."""
    return [s.proposal_id for s in states if not s.complete]


def closes_at(opens_at: datetime, days: int) -> datetime:
    """The window closes `days` × 24 hours after it opens (server time)."""
    return opens_at + timedelta(days=days)


def is_open(now: datetime, opens_at: datetime, closes: datetime, *, council_met: bool) -> bool:
    """Answers are taken from the opening (inclusive) to the closing (exclusive), and not
    once the council has met."""
    return opens_at <= now < closes and not council_met


def counted(text: str) -> str:
    """The answer as stored and counted: NFC, line ends as \\n, no outer blank space (what
    the page's live counter counts too)."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def length(text: str) -> int:
    """Characters (Unicode code points) of the answer as counted."""
    return len(counted(text))


def answer_violations(text: str, max_chars: int) -> list[Violation]:
    """An empty answer, or one longer than the call allows."""
    n = length(text)
    if n == 0:
        return [Violation("text", N_("Write your response before sending it."))]
    if n > max_chars:
        return [
            Violation(
                "text",
                N_("Your response has %(count)s characters; the call allows %(max)s."),
                {"count": n, "max": max_chars},
            )
        ]
    return []
