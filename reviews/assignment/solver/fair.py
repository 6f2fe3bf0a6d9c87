"""Fairness mode: raise the worst-served proposal's total while keeping the total near optimal.

Goal: maximise min_p (total score of p's reviewers) subject to every assignment constraint
and total ≥ (1 - tolerance) × optimum; among such assignments, the largest total.

- Up to CPSAT_PAIR_LIMIT open pairs: CP-SAT (exact integer model, scores scaled to 10^-4;
  phase 1 maximises the minimum, phase 2 the total at that minimum), warm-started from the
  optimal flow. Reports "optimal" when proven, otherwise the best found in the time limit
  and CP-SAT's upper bound on the minimum.
- Larger: multiplicative weights on the min-cost flow: the worst-served 2% of proposals get
  their scores multiplied by growing weights and the flow is re-solved (up to 25 rounds,
  stopping after 6 without progress); the step halves whenever the total would fall below
  the bound. A heuristic, but it reports the simple upper bound "the weakest proposal's best
  candidates" and stops as proven optimal when it reaches it (as on the benchmarks).

Either way the answer is checked in the original float scores and the optimum itself is
returned unless the candidate is better on the minimum and within the total's bound, so
the fair result never has a lower minimum nor a total below (1 - tolerance) × optimum.
"""

from __future__ import annotations

import math
import time

import numpy as np
from ortools.sat.python import cp_model

from reviews.assignment.errors import InvalidAssignmentInput
from reviews.assignment.solver.flow import Problem, flow_positions

CPSAT_PAIR_LIMIT = 20_000  # 60,000 open pairs took CP-SAT about 30 s here
CPSAT_SCALE = 10_000
WEIGHT_ROUNDS = 25
STALE_ROUNDS = 6  # stop after this many rounds without a higher minimum
BOTTOM_SHARE = 0.02  # the share of proposals whose weights rise each round
MAX_WEIGHT = 1e3  # beyond this the other proposals' scores vanish in the integer costs


def fair_positions(
    problem: Problem, optimum: np.ndarray, *, tolerance: float, time_limit: float
) -> tuple[np.ndarray, str, float | None]:
    """Open-pair positions of the fair assignment, the method used and a bound on its minimum."""
    if not 0 <= tolerance < 1:
        raise InvalidAssignmentInput("fairness tolerance must be in [0, 1)")
    if problem.per_proposal == 0 or problem.table.n_proposals == 0:
        return optimum, "nothing to balance", None
    if problem.open_mask.sum() <= CPSAT_PAIR_LIMIT:
        found, method, bound = _cpsat(problem, optimum, tolerance, time_limit)
    else:
        bound = own_best_bound(problem)
        found = _reweighted(problem, optimum, tolerance, time_limit, bound)
        reached = totals(problem, found)[1].min() >= bound - 1e-9
        method = "reweighted flow " + ("(optimal: bound reached)" if reached else "(heuristic)")
    if _better(problem, found, optimum, tolerance):
        return found, method, bound
    return optimum, method + "; the optimum was already the fairest found", bound


def totals(problem: Problem, positions: np.ndarray) -> tuple[float, np.ndarray]:
    """Total score and per-proposal totals (kept pairs included) of open-pair positions."""
    t = problem.table
    kept_at = t.locate(problem.kept_p, problem.kept_r)
    kept_scores = np.where(kept_at >= 0, t.score[np.maximum(kept_at, 0)], 0.0)
    per = np.bincount(problem.kept_p, weights=kept_scores, minlength=t.n_proposals).astype(float)
    per += np.bincount(
        t.proposal_idx[positions], weights=t.score[positions], minlength=t.n_proposals
    )
    return float(per.sum()), per


def own_best_bound(problem: Problem) -> float:
    """An upper bound on the minimum: the weakest proposal's kept pairs plus best candidates."""
    t = problem.table
    open_at = np.flatnonzero(problem.open_mask)
    p, score = t.proposal_idx[open_at], t.score[open_at]
    order = np.lexsort((-score, p))
    starts = np.searchsorted(p[order], np.arange(t.n_proposals))
    rank = np.arange(len(order)) - starts[p[order]]
    best = rank < problem.need[p[order]]
    _, kept_per = totals(problem, open_at[:0])
    return float(
        (
            kept_per
            + np.bincount(p[order][best], weights=score[order][best], minlength=t.n_proposals)
        ).min()
    )


def _better(problem: Problem, found: np.ndarray, optimum: np.ndarray, tolerance: float) -> bool:
    """Whether `found` keeps the total within bound and raises the minimum over the optimum."""
    best_total, best_per = totals(problem, optimum)
    total, per = totals(problem, found)
    slack = 1e-9 * max(1.0, abs(best_total))
    return total >= best_total - tolerance * abs(best_total) - slack and per.min() > best_per.min()


def _cpsat(
    problem: Problem, optimum: np.ndarray, tolerance: float, time_limit: float
) -> tuple[np.ndarray, str, float | None]:
    """Two-phase CP-SAT: the largest minimum, then the largest total keeping that minimum."""
    open_at = np.flatnonzero(problem.open_mask)
    model, x, least, total = _fair_model(problem, open_at, optimum, tolerance)
    model.maximize(least)
    solver = _solver(time_limit / 2)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return optimum, "cp-sat found nothing in the time limit", None
    proven = status == cp_model.OPTIMAL
    bound = solver.best_objective_bound / CPSAT_SCALE
    model.add(least >= round(solver.objective_value))
    _rehint(model, x, solver)
    model.maximize(total)
    second = _solver(time_limit / 2)
    answer = second if second.solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE) else solver
    picked = open_at[np.array([answer.boolean_value(v) for v in x], dtype=bool)]
    return picked, "cp-sat " + ("optimal" if proven else "best found in time limit"), bound


def _fair_model(
    problem: Problem,
    open_at: np.ndarray,
    optimum: np.ndarray,
    tolerance: float,
) -> tuple[cp_model.CpModel, list, cp_model.IntVar, cp_model.LinearExpr | int]:
    """The integer model: loads, the total's floor, `least` below every proposal's total."""
    gains = np.rint(problem.table.score[open_at] * CPSAT_SCALE).astype(np.int64)
    model = cp_model.CpModel()
    x = [model.new_bool_var(f"x{i}") for i in range(len(open_at))]
    _constrain_loads(model, problem, open_at, x)
    per = _per_proposal_sums(problem, open_at, x, gains, totals(problem, open_at[:0])[1])
    total = sum(per)
    best_total, _ = totals(problem, optimum)
    # Rounded gains may overstate the float total by half a unit a pair: keep that margin.
    margin = math.ceil(int(problem.need.sum()) / 2)
    model.add(total >= math.ceil((best_total - tolerance * abs(best_total)) * CPSAT_SCALE) + margin)
    least = model.new_int_var(-(10**15), 10**15, "least")
    for expr in per:
        model.add(least <= expr)
    chosen = set(optimum.tolist())
    for var, position in zip(x, open_at.tolist(), strict=True):
        model.add_hint(var, position in chosen)
    return model, x, least, total


def _constrain_loads(
    model: cp_model.CpModel, problem: Problem, open_at: np.ndarray, x: list[cp_model.IntVar]
) -> None:
    """Exactly the needed reviewers per proposal; each reviewer between floor and room."""
    t = problem.table
    for p, members in _groups(t.proposal_idx[open_at], t.n_proposals):
        model.add(sum(x[i] for i in members) == int(problem.need[p]))
    for r, members in _groups(t.reviewer_idx[open_at], t.n_reviewers):
        load = sum(x[i] for i in members)
        model.add(load <= int(problem.room[r]))
        model.add(load >= int(problem.floor[r]))


def _per_proposal_sums(
    problem: Problem,
    open_at: np.ndarray,
    x: list[cp_model.IntVar],
    gains: np.ndarray,
    kept_per: np.ndarray,
) -> list[cp_model.LinearExpr]:
    """Each proposal's scaled total as a linear expression (kept pairs as constants)."""
    kept = np.rint(kept_per * CPSAT_SCALE).astype(np.int64)
    sums = [cp_model.LinearExpr.constant(int(k)) for k in kept]
    for p, members in _groups(problem.table.proposal_idx[open_at], problem.table.n_proposals):
        sums[p] = cp_model.LinearExpr.weighted_sum(
            [x[i] for i in members], gains[members].tolist()
        ) + int(kept[p])
    return sums


def _groups(keys: np.ndarray, size: int) -> list[tuple[int, np.ndarray]]:
    """(key, member positions) for every key in 0..size-1, including keys without members."""
    order = np.argsort(keys, kind="stable")
    bounds = np.searchsorted(keys[order], np.arange(size + 1))
    return [(k, order[bounds[k] : bounds[k + 1]]) for k in range(size)]


def _solver(seconds: float) -> cp_model.CpSolver:
    """A CP-SAT solver for this 2-core machine with a time limit."""
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(seconds, 0.1)
    solver.parameters.num_workers = 2
    return solver


def _rehint(model: cp_model.CpModel, x: list[cp_model.IntVar], solver: cp_model.CpSolver) -> None:
    """Start phase 2 from the phase-1 answer."""
    model.clear_hints()
    for var in x:
        model.add_hint(var, solver.boolean_value(var))


def _reweighted(
    problem: Problem, optimum: np.ndarray, tolerance: float, time_limit: float, bound: float
) -> np.ndarray:
    """Multiplicative weights on the worst-served proposals, re-solving the flow each round."""
    best_total, per = totals(problem, optimum)
    floor_total = best_total - tolerance * abs(best_total)
    log_w, step, best, best_min, stale = np.zeros(len(per)), 1.0, optimum, per.min(), 0
    deadline = time.perf_counter() + time_limit
    for _ in range(WEIGHT_ROUNDS):
        if (
            time.perf_counter() > deadline
            or step < 1e-3
            or stale >= STALE_ROUNDS
            or best_min >= bound - 1e-9
        ):
            break
        level = np.quantile(per, BOTTOM_SHARE)
        lift = np.clip((level - per) / max(float(level - per.min()), 1e-9), 0, 1)
        trial = np.minimum(log_w + step * lift, np.log(MAX_WEIGHT))
        found = flow_positions(problem, np.exp(trial - trial.max()))
        total, found_per = totals(problem, found) if found is not None else (-np.inf, per)
        stale += 1
        if found is None or total < floor_total:
            step /= 2
            continue
        log_w, per = trial, found_per
        if per.min() > best_min:
            best, best_min, stale = found, per.min(), 0
    return best
