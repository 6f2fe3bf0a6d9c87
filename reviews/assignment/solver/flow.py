"""The assignment network and its exact min-cost flow solve (OR-Tools SimpleMinCostFlow).

Each proposal node supplies the reviewers it still needs; one arc of capacity 1 per open
candidate pair costs -score (scaled to an integer); one arc per reviewer to the sink has the
load left above the minimum; each reviewer node itself demands the minimum load left. That is
the classic lower-bound transformation, so minimum loads are exact, never a penalty. Forced
and fixed pairs leave the network first and count against the same loads.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from ortools.graph.python import min_cost_flow

from reviews.assignment.errors import InfeasibleAssignment, InvalidAssignmentInput
from reviews.assignment.solver.table import Loads, Pairs, ScoreTable, sample

COST_LIMIT = 1e9  # largest integer arc cost handed to OR-Tools (its cost scaling multiplies it)
MAX_SCALE = 1e6  # scores with up to 6 decimals are optimised exactly


@dataclass(frozen=True, eq=False)
class Problem:
    """An assignment problem in table indices, as the flow solver and the diagnostics see it."""

    table: ScoreTable
    per_proposal: int
    max_load: np.ndarray
    min_load: np.ndarray
    kept_p: np.ndarray
    kept_r: np.ndarray
    open_mask: np.ndarray

    @cached_property
    def kept_per_reviewer(self) -> np.ndarray:
        """Forced and fixed pairs of each reviewer."""
        return np.bincount(self.kept_r, minlength=self.table.n_reviewers)

    @cached_property
    def need(self) -> np.ndarray:
        """Reviewers each proposal still needs once kept pairs are counted."""
        return self.per_proposal - np.bincount(self.kept_p, minlength=self.table.n_proposals)

    @cached_property
    def room(self) -> np.ndarray:
        """Load each reviewer can still take once kept pairs are counted."""
        return self.max_load - self.kept_per_reviewer

    @cached_property
    def floor(self) -> np.ndarray:
        """Load each reviewer must still take to reach the minimum."""
        return np.maximum(self.min_load - self.kept_per_reviewer, 0)


def build_problem(
    table: ScoreTable,
    *,
    per_proposal: int,
    max_load: Loads,
    min_load: Loads = 0,
    forced: Pairs = (),
    forbidden: Pairs = (),
    fixed: Pairs = (),
) -> Problem:
    """Turn ids into indices and refuse contradictory constraints before any solving."""
    if (
        isinstance(per_proposal, bool)
        or not isinstance(per_proposal, (int, np.integer))
        or per_proposal < 0
    ):
        raise InvalidAssignmentInput("per_proposal must be a whole number ≥ 0")
    kept_p, kept_r = table.index_pairs([*forced, *fixed], what="forced", strict=True)
    banned_p, banned_r = table.index_pairs(forbidden, what="forbidden", strict=False)
    kept_keys, banned_keys = table.keys_of(kept_p, kept_r), table.keys_of(banned_p, banned_r)
    all_keys = table.keys_of(table.proposal_idx, table.reviewer_idx)
    open_mask = ~member(all_keys, np.concatenate([kept_keys, banned_keys]))
    problem = Problem(
        table,
        int(per_proposal),
        table.loads(max_load, "max load"),
        table.loads(min_load, "min load"),
        kept_p,
        kept_r,
        open_mask,
    )
    reasons = contradictions(problem, np.isin(kept_keys, banned_keys))
    if reasons:
        raise InfeasibleAssignment(reasons)
    return problem


def member(keys: np.ndarray, of: np.ndarray) -> np.ndarray:
    """np.isin for pair keys: a lookup table over the constraint keys' range when it is
    small enough (linear in the millions of candidate pairs), else numpy's sort."""
    if not len(of):
        return np.zeros(len(keys), dtype=bool)
    span = int(of.max()) - int(of.min())
    return np.isin(keys, of, kind="table" if span <= 200_000_000 else "sort")


def contradictions(problem: Problem, kept_and_banned: np.ndarray) -> list[str]:
    """Constraints that contradict each other before any candidate is looked at."""
    t, reasons = problem.table, []
    if kept_and_banned.any():
        pairs = zip(
            t.proposal_ids[problem.kept_p[kept_and_banned]],
            t.reviewer_ids[problem.kept_r[kept_and_banned]],
            strict=True,
        )
        reasons.append(
            f"pairs both forced and forbidden: {sample(f'({p}, {r})' for p, r in pairs)}"
        )
    crowded = np.flatnonzero(problem.need < 0)
    if len(crowded):
        reasons.append(
            f"proposals with more forced reviewers than {problem.per_proposal}: "
            f"{sample(t.proposal_ids[crowded])}"
        )
    overloaded = np.flatnonzero(problem.room < 0)
    if len(overloaded):
        reasons.append(
            "reviewers whose forced or kept pairs exceed their max load: "
            + sample(
                f"{t.reviewer_ids[r]} ({problem.kept_per_reviewer[r]} > {problem.max_load[r]})"
                for r in overloaded
            )
        )
    inverted = np.flatnonzero(problem.min_load > problem.max_load)
    if len(inverted):
        reasons.append(
            f"reviewers whose min load exceeds their max load: {sample(t.reviewer_ids[inverted])}"
        )
    return reasons


def cost_scale(gains: np.ndarray) -> float:
    """Integer scale for scores: 10^6 unless that would push arc costs past COST_LIMIT."""
    largest = float(np.abs(gains).max()) if len(gains) else 0.0
    return MAX_SCALE if largest * MAX_SCALE <= COST_LIMIT else COST_LIMIT / largest


def flow_positions(problem: Problem, weights: np.ndarray | None = None) -> np.ndarray | None:
    """Table positions of the open pairs in a best flow, or None when no flow exists."""
    table, n_p, n_r = problem.table, problem.table.n_proposals, problem.table.n_reviewers
    open_at = np.flatnonzero(problem.open_mask)
    gains = table.score[open_at]
    if weights is not None:
        gains = gains * weights[table.proposal_idx[open_at]]
    sink = n_p + n_r
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        table.proposal_idx[open_at].astype(np.int32),
        (n_p + table.reviewer_idx[open_at]).astype(np.int32),
        np.ones(len(open_at), dtype=np.int64),
        -np.rint(gains * cost_scale(gains)).astype(np.int64),
    )
    flow.add_arcs_with_capacity_and_unit_cost(
        np.arange(n_p, sink, dtype=np.int32),
        np.full(n_r, sink, dtype=np.int32),
        (problem.room - problem.floor).astype(np.int64),
        np.zeros(n_r, dtype=np.int64),
    )
    supplies = np.concatenate(
        [problem.need, -problem.floor, [problem.floor.sum() - problem.need.sum()]]
    ).astype(np.int64)
    flow.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), supplies)
    status = flow.solve()
    if status in (flow.INFEASIBLE, flow.UNBALANCED):
        return None
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow solver failed with status {status}")
    return open_at[np.asarray(flow.flows(arcs)) > 0]
