"""`python -m reviews.assign`: scores CSV in, optimal assignment CSV out.

Exit status: 0 solved, 1 no assignment meets the constraints, 2 bad input or usage. Errors
go to stderr as one clear message, never a traceback.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

from reviews.assignment.errors import InfeasibleAssignment, InvalidAssignmentInput
from reviews.assignment.solver.api import AssignmentResult, solve_assignment
from reviews.assignment.solver.io import read_constraints, read_scores, write_assignment


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line; argparse itself reports usage errors with status 2."""
    parser = argparse.ArgumentParser(
        prog="python -m reviews.assign",
        description="Assign exactly K reviewers to every proposal, maximising total affinity.",
    )
    parser.add_argument(
        "--scores",
        type=Path,
        required=True,
        help="CSV rows proposal_id,reviewer_id,score (header optional)",
    )
    parser.add_argument("--per-proposal", type=int, required=True, metavar="K")
    parser.add_argument("--max-load", type=int, required=True, metavar="L")
    parser.add_argument("--min-load", type=int, default=0, metavar="M")
    parser.add_argument(
        "--constraints",
        type=Path,
        help="CSV rows proposal_id,reviewer_id,value: -1 forbids, 1 forces",
    )
    parser.add_argument(
        "--fairness",
        type=float,
        metavar="TOL",
        help="raise the worst proposal's total, keeping ≥ (1-TOL) × optimum",
    )
    parser.add_argument("--fairness-time-limit", type=float, default=60.0, metavar="SECONDS")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--verbose", action="store_true", help="timings and peak memory")
    return parser.parse_args(argv)


def run(args: argparse.Namespace) -> tuple[AssignmentResult, dict[str, float]]:
    """Read, solve and write; returns the result and the wall time of each stage."""
    started = time.perf_counter()
    table, _ = read_scores(args.scores)
    forced, forbidden = read_constraints(args.constraints) if args.constraints else ([], [])
    read = time.perf_counter()
    result = solve_assignment(
        table,
        per_proposal=args.per_proposal,
        max_load=args.max_load,
        min_load=args.min_load,
        forced=forced,
        forbidden=forbidden,
        fairness_tolerance=args.fairness,
        fairness_time_limit=args.fairness_time_limit,
    )
    solved = time.perf_counter()
    write_assignment(result.to_frame(), args.out)
    stages = {"read": read - started, **result.timings, "write": time.perf_counter() - solved}
    return result, stages


def report(result: AssignmentResult, stages: dict[str, float], verbose: bool) -> None:
    """Print the totals (and with --verbose the stage timings and peak memory)."""
    print(f"assigned {len(result.scores)} pairs, total score {result.total_score:.6f}")
    if result.fairness_method is not None:
        print(
            f"optimal total {result.optimal_total:.6f}, min proposal total "
            f"{result.optimal_min_proposal_total:.6f} → fair min proposal total "
            f"{result.min_proposal_total:.6f} ({result.fairness_method})"
        )
    if verbose:
        print("  ".join(f"{name} {seconds:.2f}s" for name, seconds in stages.items()))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"total {sum(stages.values()):.2f}s, peak memory {peak:.0f} MB")


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; the exit status tells success, infeasibility or bad input."""
    args = parse_args(argv)
    try:
        result, stages = run(args)
    except InfeasibleAssignment as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except (InvalidAssignmentInput, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    report(result, stages, args.verbose)
    return 0
