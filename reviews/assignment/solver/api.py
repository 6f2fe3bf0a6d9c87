"""Reviewer assignment: every proposal gets exactly k reviewers, the total affinity is maximal.

The public entry points, re-exported by reviews.assign for the web layer and the CLI
(`python -m reviews.assign --help`): `ScoreTable` (candidate pairs), `solve_assignment`,
`reassign` and `AssignmentResult`.
The solve is an exact min-cost flow (reviews.assignment.solver.flow); infeasible problems
raise `InfeasibleAssignment` with the reasons (reviews.assignment.solver.diagnose); the
fairness mode lives in reviews.assignment.solver.fair.
"""

from __future__ import annotations

import time
from collections.abc import Hashable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from reviews.assignment.errors import InfeasibleAssignment, InvalidAssignmentInput
from reviews.assignment.solver.diagnose import explain
from reviews.assignment.solver.fair import fair_positions
from reviews.assignment.solver.flow import Problem, build_problem, flow_positions
from reviews.assignment.solver.table import Loads, Pairs, ScoreTable

__all__ = [
    "AssignmentResult",
    "InfeasibleAssignment",
    "InvalidAssignmentInput",
    "ScoreTable",
    "reassign",
    "solve_assignment",
]


@dataclass(frozen=True, eq=False)
class AssignmentResult:
    """Assigned pairs (one row each) and the totals that justify them."""

    proposal_ids: np.ndarray
    reviewer_ids: np.ndarray
    scores: np.ndarray
    kept: np.ndarray
    total_score: float
    min_proposal_total: float
    optimal_total: float
    optimal_min_proposal_total: float
    fairness_method: str | None = None
    fairness_bound: float | None = None
    timings: dict[str, float] = field(default_factory=dict)

    def pairs(self) -> list[tuple[Hashable, Hashable, float]]:
        """Every assigned (proposal_id, reviewer_id, score)."""
        return list(
            zip(
                self.proposal_ids.tolist(),
                self.reviewer_ids.tolist(),
                self.scores.tolist(),
                strict=True,
            )
        )

    def new_pairs(self) -> list[tuple[Hashable, Hashable, float]]:
        """Assigned pairs that were neither fixed nor forced: the ones to create."""
        fresh = ~self.kept
        return list(
            zip(
                self.proposal_ids[fresh].tolist(),
                self.reviewer_ids[fresh].tolist(),
                self.scores[fresh].tolist(),
                strict=True,
            )
        )

    def to_frame(self) -> pd.DataFrame:
        """The assignment as columns proposal_id, reviewer_id, score."""
        return pd.DataFrame(
            {
                "proposal_id": self.proposal_ids,
                "reviewer_id": self.reviewer_ids,
                "score": self.scores,
            }
        )


def make_result(
    problem: Problem,
    positions: np.ndarray,
    *,
    optimum: AssignmentResult | None = None,
    fairness: tuple[str | None, float | None] = (None, None),
    timings: dict[str, float] | None = None,
) -> AssignmentResult:
    """Assemble kept and chosen pairs, per-proposal totals and the optimum they compare with."""
    table = problem.table
    kept_at = table.locate(problem.kept_p, problem.kept_r)
    kept_scores = np.where(kept_at >= 0, table.score[np.maximum(kept_at, 0)], 0.0)
    p_idx = np.concatenate([problem.kept_p, table.proposal_idx[positions]])
    r_idx = np.concatenate([problem.kept_r, table.reviewer_idx[positions]])
    scores = np.concatenate([kept_scores, table.score[positions]])
    kept = np.arange(len(p_idx)) < len(kept_at)
    order = np.lexsort((r_idx, p_idx))
    per_proposal = np.bincount(p_idx, weights=scores, minlength=table.n_proposals)
    total, least = float(scores.sum()), float(per_proposal.min()) if len(per_proposal) else 0.0
    return AssignmentResult(
        table.proposal_ids[p_idx[order]],
        table.reviewer_ids[r_idx[order]],
        scores[order],
        kept[order],
        total,
        least,
        optimum.total_score if optimum else total,
        optimum.min_proposal_total if optimum else least,
        *fairness,
        dict(timings or {}),
    )


def solve_assignment(
    table: ScoreTable,
    *,
    per_proposal: int,
    max_load: Loads,
    min_load: Loads = 0,
    forced: Pairs = (),
    forbidden: Pairs = (),
    fixed: Pairs = (),
    fairness_tolerance: float | None = None,
    fairness_time_limit: float = 60.0,
) -> AssignmentResult:
    """Give every proposal exactly `per_proposal` reviewers, maximising the total score.

    Forbidden pairs (conflicts, unwilling bids, manager vetoes) are never assigned; forced
    and fixed pairs always are, even without a score (then counted as 0). With a
    `fairness_tolerance` the worst-served proposal is raised as far as possible while the
    total stays ≥ (1 - tolerance) × optimum (see reviews.assignment.solver.fair).
    """
    started = time.perf_counter()
    problem = build_problem(
        table,
        per_proposal=per_proposal,
        max_load=max_load,
        min_load=min_load,
        forced=forced,
        forbidden=forbidden,
        fixed=fixed,
    )
    built = time.perf_counter()
    positions = flow_positions(problem)
    if positions is None:
        raise InfeasibleAssignment(explain(problem))
    solved = time.perf_counter()
    timings = {"build": built - started, "solve": solved - built}
    optimum = make_result(problem, positions, timings=timings)
    if fairness_tolerance is None:
        return optimum
    fair, method, bound = fair_positions(
        problem, positions, tolerance=fairness_tolerance, time_limit=fairness_time_limit
    )
    timings["fairness"] = time.perf_counter() - solved
    return make_result(problem, fair, optimum=optimum, fairness=(method, bound), timings=timings)


def reassign(
    table: ScoreTable,
    *,
    current: Pairs,
    declined: Pairs,
    per_proposal: int,
    max_load: Loads,
    min_load: Loads = 0,
    forced: Pairs = (),
    forbidden: Pairs = (),
) -> AssignmentResult:
    """Replace declined reviewers: every other current pair stays, the gaps are filled optimally.

    A declined pair is forbidden from then on. Every proposal in `table` ends with
    `per_proposal` reviewers, so pass the table of the call being re-assigned.
    """
    declined_set = set(declined)
    kept = [pair for pair in current if pair not in declined_set]
    return solve_assignment(
        table,
        per_proposal=per_proposal,
        max_load=max_load,
        min_load=min_load,
        forced=forced,
        fixed=kept,
        forbidden=[*forbidden, *declined_set],
    )
