"""The floor for the assignment CLI: a bare, vectorised OR-Tools min-cost-flow solve of the
same files, with nothing but what the solve needs (no validation, no messages, no fairness).

    python bench/assignment_bare.py SCORES CONSTRAINTS K L OUT

Reads scores (proposal,reviewer,score; no header) and constraints (header; -1 forbids,
1 forces) with pandas, builds the network with OR-Tools' array calls, solves, writes the
assigned pairs. bench/assignment.py runs it beside `python -m reviews.assign` on the same
files, in the same run, and prints the ratio. Prints its stage timings.
"""

import sys
import time

import numpy as np
import pandas as pd
from ortools.graph.python import min_cost_flow


def main(scores_csv: str, constraints_csv: str, k: int, load: int, out: str) -> None:
    t0 = time.perf_counter()
    scores = pd.read_csv(scores_csv, header=None, names=["p", "r", "s"])
    constraints = pd.read_csv(constraints_csv)
    t_read = time.perf_counter()
    p, p_ids = pd.factorize(scores["p"])
    r, r_ids = pd.factorize(scores["r"])
    n_p, n_r = len(p_ids), len(r_ids)
    keys = p.astype(np.int64) * n_r + r
    cp = p_ids.get_indexer(constraints["proposal_id"])
    cr = r_ids.get_indexer(constraints["reviewer_id"])
    ckeys = cp.astype(np.int64) * n_r + cr
    value = constraints["value"].to_numpy()
    forced = np.isin(keys, ckeys[value == 1], kind="table")
    open_ = ~np.isin(keys, ckeys[value != 0], kind="table")
    need = k - np.bincount(p[forced], minlength=n_p)
    room = load - np.bincount(r[forced], minlength=n_r)
    flow = min_cost_flow.SimpleMinCostFlow()
    sink = n_p + n_r
    # node indices as int32, OR-Tools' own type (int64 would be converted one by one)
    tails = np.concatenate([p[open_], n_p + np.arange(n_r)]).astype(np.int32)
    heads = np.concatenate([n_p + r[open_], np.full(n_r, sink)]).astype(np.int32)
    caps = np.concatenate([np.ones(int(open_.sum()), dtype=np.int64), room])
    costs = np.concatenate(
        [-np.round(scores["s"].to_numpy()[open_] * 1e6).astype(np.int64), np.zeros(n_r, np.int64)]
    )
    arcs = flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    supplies = np.concatenate([need, np.zeros(n_r, np.int64), [-need.sum()]])
    flow.set_nodes_supplies(np.arange(n_p + n_r + 1, dtype=np.int32), supplies.astype(np.int64))
    t_build = time.perf_counter()
    assert flow.solve() == flow.OPTIMAL, "no optimal flow"
    t_solve = time.perf_counter()
    chosen = np.flatnonzero(open_)[flow.flows(arcs[: int(open_.sum())]) > 0]
    chosen = np.sort(np.concatenate([chosen, np.flatnonzero(forced)]))
    scores.iloc[chosen].to_csv(out, index=False, header=False)
    t_write = time.perf_counter()
    print(
        f"read {t_read - t0:.2f}s  build {t_build - t_read:.2f}s  solve {t_solve - t_build:.2f}s"
        f"  write {t_write - t_solve:.2f}s  total {t_write - t0:.2f}s"
        f"  total score {scores['s'].to_numpy()[chosen].sum():.6f}"
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
