"""Pure rules of partial randomisation at the funding line (docs/lottery.md).

The Swiss National Science Foundation has drawn lots among the proposals at its funding line
since 2021 (Heyard et al., "Rethinking the funding line at the SNSF", 2022), as the New
Zealand Health Research Council does for its Explorer Grants. A call that chooses it
(funds.calls.rules.LOTTERY_AT_LINE) runs these steps:

1. Each proposal's **interval**: from the lower to the higher of its score and its calibrated
   score (reviews.consolidation.rules), widened on both sides by the standard error of its
   reviews' totals (√(Σ(x − mean)² / (n(n − 1))), rounded up to a whole basis point; 0 for a
   single review).
2. The **line**: halfway between the lowest score the ordinary line funds and the highest
   score of a passing proposal it leaves out (overrides set aside).
3. The **group**: passing proposals, not moved by an override, whose interval contains the
   line; a lottery needs at least two.
4. The **remainder**: the budget less the overrides included and what the proposals above the
   group receive, in rank order as the ordinary line gives it.
5. The **draw**: the group's ids in ascending order, each keyed by HMAC-SHA256(seed, the id in
   decimal ASCII); the order is by key (hex), then id. The group is funded in that order while
   the remainder lasts (one that does not fit is passed over, as on the ordinary line).
6. The **commitment** is SHA-256 of the seed's bytes, published before the draw; the seed is
   revealed after it, and anyone recomputes steps 5–6 from it (`flask lottery-replay`).
"""

import hashlib
import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import isqrt

from reviews.consolidation.rules import FundingLine, Ranked, ScoredReview

SEED_BYTES = 32  # 256 bits from the operating system's generator (secrets.token_hex)


@dataclass(frozen=True)
class Interval:
    low: Fraction
    high: Fraction

    def contains(self, value: Fraction) -> bool:
        return self.low <= value <= self.high


@dataclass(frozen=True)
class Plan:
    """What a draw would decide: the line, the group (ascending ids) and the money left."""

    line_bp: Fraction | None
    group: tuple[int, ...]
    remainder_vnd: int

    @property
    def has_group(self) -> bool:
        return len(self.group) >= 2


def standard_error_bp(totals: Sequence[int]) -> int:
    """The standard error of the mean of the reviews' totals, rounded up (0 for one)."""
    n = len(totals)
    if n < 2:
        return 0
    mean = Fraction(sum(totals), n)
    var = sum(((Fraction(t) - mean) ** 2 for t in totals), Fraction(0)) / (n * (n - 1))
    root = isqrt(var.numerator // var.denominator)
    return root if Fraction(root * root) >= var else root + 1


def intervals(reviews: Sequence[ScoredReview], ranked: Sequence[Ranked]) -> dict[int, Interval]:
    """Each ranked proposal's interval: its score and calibrated score ± the standard error."""
    totals: dict[int, list[int]] = {}
    for r in reviews:
        totals.setdefault(r.proposal_id, []).append(r.total_bp)
    out = {}
    for row in ranked:
        se = standard_error_bp(totals.get(row.proposal_id, []))
        low, high = sorted((row.raw_bp, row.calibrated_bp))
        out[row.proposal_id] = Interval(low - se, high + se)
    return out


def line_score(
    ranked: Sequence[Ranked], line: FundingLine, overrides: Mapping[int, bool]
) -> Fraction | None:
    """Halfway between the lowest funded score and the highest passing score left out; None
    when the ordinary line funds every passing proposal or none."""
    open_rows = [r for r in ranked if r.passes and r.proposal_id not in overrides]
    funded = [r.raw_bp for r in open_rows if line.funded.get(r.proposal_id)]
    left_out = [r.raw_bp for r in open_rows if not line.funded.get(r.proposal_id)]
    if not funded or not left_out:
        return None
    return (min(funded) + max(left_out)) / 2


def _greedy(rows: Sequence[Ranked], left: int) -> tuple[list[int], int]:
    """Fund in the given order while the money lasts, passing over what does not fit."""
    taken = []
    for r in rows:
        if r.requested_vnd <= left:
            taken.append(r.proposal_id)
            left -= r.requested_vnd
    return taken, left


def _open_rows(ranked: Sequence[Ranked], overrides: Mapping[int, bool]) -> list[Ranked]:
    return [r for r in ranked if r.passes and r.proposal_id not in overrides]


def _start(ranked: Sequence[Ranked], budget_vnd: int, overrides: Mapping[int, bool]) -> int:
    return budget_vnd - sum(r.requested_vnd for r in ranked if overrides.get(r.proposal_id))


def plan_lottery(
    ranked: Sequence[Ranked],
    spans: Mapping[int, Interval],
    line: FundingLine,
    budget_vnd: int,
    overrides: Mapping[int, bool],
) -> Plan:
    """The line, the group whose intervals contain it, and the money left for the group."""
    at = line_score(ranked, line, overrides)
    if at is None:
        return Plan(None, (), 0)
    rows = _open_rows(ranked, overrides)
    group = tuple(sorted(r.proposal_id for r in rows if spans[r.proposal_id].contains(at)))
    if len(group) < 2:
        return Plan(at, (), 0)
    above = [r for r in rows if r.proposal_id not in group and r.raw_bp > at]
    _taken, left = _greedy(above, _start(ranked, budget_vnd, overrides))
    return Plan(at, group, max(left, 0))


def commitment_of(seed_hex: str) -> str:
    """SHA-256 of the seed's bytes, in hex: published before the draw."""
    return hashlib.sha256(bytes.fromhex(seed_hex)).hexdigest()


def draw_key(seed_hex: str, proposal_id: int) -> str:
    """HMAC-SHA256 keyed by the seed's bytes over the id in decimal ASCII, in hex."""
    message = str(proposal_id).encode("ascii")
    return hmac.new(bytes.fromhex(seed_hex), message, hashlib.sha256).hexdigest()


def draw_order(seed_hex: str, group: Sequence[int]) -> tuple[int, ...]:
    """The group in the order the seed draws it: by key, then id (a collision is 2⁻²⁵⁶)."""
    return tuple(sorted(sorted(group), key=lambda pid: (draw_key(seed_hex, pid), pid)))


def allot(
    order: Sequence[int], requested: Mapping[int, int], remainder_vnd: int
) -> tuple[int, ...]:
    """The proposals funded in draw order while the remainder lasts; never more than it."""
    left, funded = remainder_vnd, []
    for pid in order:
        if requested[pid] <= left:
            funded.append(pid)
            left -= requested[pid]
    return tuple(funded)


@dataclass(frozen=True)
class Replay:
    order: tuple[int, ...]
    funded: tuple[int, ...]
    commitment_matches: bool


def replay(
    seed_hex: str,
    commitment: str,
    group: Sequence[int],
    requested: Mapping[int, int],
    remainder_vnd: int,
) -> Replay:
    """Recompute a draw from its revealed seed: the order, the funded, and the commitment."""
    order = draw_order(seed_hex, group)
    matches = hmac.compare_digest(commitment_of(seed_hex), commitment)
    return Replay(order, allot(order, requested, remainder_vnd), matches)


def ids_text(ids: Sequence[int]) -> str:
    return ",".join(str(i) for i in ids)


def ids_of(text: str) -> tuple[int, ...]:
    return tuple(int(t) for t in text.split(",") if t.strip())
