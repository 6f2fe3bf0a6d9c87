"""Why an assignment problem has no solution, in words a fund manager can act on.

Cheap counting checks come first (proposals short of eligible reviewers, total capacity,
minimum loads). When they all pass yet no flow exists, a maximum flow's minimum cut names a
group of proposals whose eligible reviewers cannot cover them (Hall's condition), or a
min-cost flow shows which reviewers cannot reach their minimum load together.
"""

from __future__ import annotations

import numpy as np
from ortools.graph.python import max_flow, min_cost_flow

from reviews.assignment.solver.flow import Problem
from reviews.assignment.solver.table import sample


def explain(problem: Problem) -> list[str]:
    """Every reason found why `problem` has no solution (at least one line)."""
    reasons = counting_reasons(problem)
    if not reasons:
        reasons = hall_reasons(problem) or min_load_reasons(problem)
    return reasons or ["the constraints cannot all be met together"]


def counting_reasons(problem: Problem) -> list[str]:
    """Shortfalls visible by counting candidates and capacities."""
    t, reasons = problem.table, []
    open_p, open_r = t.proposal_idx[problem.open_mask], t.reviewer_idx[problem.open_mask]
    eligible = np.bincount(open_p, minlength=t.n_proposals)
    short = np.flatnonzero(eligible < problem.need)
    if len(short):
        reasons.append(
            f"{len(short)} proposal(s) have fewer eligible reviewers (scored, not forbidden, "
            f"not already kept) than they need: "
            + sample(
                f"{t.proposal_ids[p]} ({eligible[p]} eligible, {problem.need[p]} needed)"
                for p in short
            )
        )
    need, room, floor = int(problem.need.sum()), int(problem.room.sum()), int(problem.floor.sum())
    if need > room:
        reasons.append(
            f"the proposals need {need} more reviewer slots but the reviewers' "
            f"max loads leave only {room}"
        )
    if floor > need:
        reasons.append(
            f"the minimum loads call for {floor} more assignments but the "
            f"proposals need only {need}"
        )
    reachable = np.bincount(open_r, minlength=t.n_reviewers)
    starved = np.flatnonzero(reachable < problem.floor)
    if len(starved):
        reasons.append(
            "reviewers eligible for fewer proposals than their minimum load: "
            + sample(
                f"{t.reviewer_ids[r]} ({reachable[r]} eligible, min {problem.floor[r]})"
                for r in starved
            )
        )
    return reasons


def hall_reasons(problem: Problem) -> list[str]:
    """A group of proposals whose eligible reviewers cannot cover them, from a minimum cut."""
    t, n_p, n_r = problem.table, problem.table.n_proposals, problem.table.n_reviewers
    sink, source = n_p + n_r, n_p + n_r + 1
    open_at = np.flatnonzero(problem.open_mask)
    flow = max_flow.SimpleMaxFlow()
    flow.add_arcs_with_capacity(
        np.full(n_p, source, dtype=np.int32),
        np.arange(n_p, dtype=np.int32),
        problem.need.astype(np.int64),
    )
    flow.add_arcs_with_capacity(
        t.proposal_idx[open_at].astype(np.int32),
        (n_p + t.reviewer_idx[open_at]).astype(np.int32),
        np.ones(len(open_at), dtype=np.int64),
    )
    flow.add_arcs_with_capacity(
        np.arange(n_p, sink, dtype=np.int32),
        np.full(n_r, sink, dtype=np.int32),
        problem.room.astype(np.int64),
    )
    if flow.solve(source, sink) != flow.OPTIMAL:
        return []
    demand = int(problem.need.sum())
    if flow.optimal_flow() >= demand:
        return []
    side = np.asarray(flow.get_source_side_min_cut(), dtype=np.int64)
    group = side[side < n_p]
    pool = np.unique(t.reviewer_idx[open_at][np.isin(t.proposal_idx[open_at], group)])
    group_need = int(problem.need[group].sum())
    at_most = group_need - (demand - int(flow.optimal_flow()))
    return [
        (
            f"{len(group)} proposal(s) need {group_need} more reviewers between them but "
            f"their eligible reviewers can give at most {at_most}: proposals "
            f"{sample(t.proposal_ids[group])}; reviewers {sample(t.reviewer_ids[pool])}"
        )
    ]


def min_load_reasons(problem: Problem) -> list[str]:
    """Reviewers who cannot all reach their minimum load while every proposal is covered."""
    t, n_p, n_r = problem.table, problem.table.n_proposals, problem.table.n_reviewers
    sink = n_p + n_r
    open_at = np.flatnonzero(problem.open_mask)
    reviewers = np.arange(n_p, sink, dtype=np.int32)
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        t.proposal_idx[open_at].astype(np.int32),
        (n_p + t.reviewer_idx[open_at]).astype(np.int32),
        np.ones(len(open_at), dtype=np.int64),
        np.zeros(len(open_at), dtype=np.int64),
    )
    floor_arcs = flow.add_arcs_with_capacity_and_unit_cost(
        reviewers,
        np.full(n_r, sink, dtype=np.int32),
        problem.floor.astype(np.int64),
        np.full(n_r, -1, dtype=np.int64),
    )
    flow.add_arcs_with_capacity_and_unit_cost(
        reviewers,
        np.full(n_r, sink, dtype=np.int32),
        (problem.room - problem.floor).astype(np.int64),
        np.zeros(n_r, dtype=np.int64),
    )
    supplies = np.concatenate([problem.need, np.zeros(n_r), [-problem.need.sum()]])
    flow.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), supplies.astype(np.int64))
    if flow.solve() != flow.OPTIMAL:
        return []
    got = np.asarray(flow.flows(floor_arcs))
    behind = np.flatnonzero(got < problem.floor)
    if not len(behind):
        return []
    closest = sample(f"{t.reviewer_ids[r]} ({got[r]} of {problem.floor[r]} more)" for r in behind)
    return [
        (
            f"these reviewers cannot all reach their minimum load while every proposal gets "
            f"its reviewers (a closest attempt gives them): {closest}"
        )
    ]
