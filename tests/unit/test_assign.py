"""The reviewer-assignment engine: constraints hold, totals match an independent LP, CLI works."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import linprog
from scipy.sparse import csr_array

from reviews.assign import InfeasibleAssignment, ScoreTable, reassign, solve_assignment
from reviews.assignment.errors import InvalidAssignmentInput
from reviews.assignment.solver import fair as assign_fair
from reviews.assignment.solver.flow import build_problem

ROOT = Path(__file__).resolve().parents[2]
SEEDS = range(120)


def random_instance(seed: int) -> dict:
    """A small random problem: table, k, per-reviewer loads, forbidden and forced pairs."""
    rng = np.random.default_rng(seed)
    n_p, n_r = int(rng.integers(2, 9)), int(rng.integers(3, 8))
    mask = rng.random((n_p, n_r)) < 0.7
    p, r = np.nonzero(mask)
    table = ScoreTable.from_pairs(
        [f"p{i}" for i in p],
        [f"r{j}" for j in r],
        np.round(rng.random(len(p)), 3),
        proposals=[f"p{i}" for i in range(n_p)],
        reviewers=[f"r{j}" for j in range(n_r)],
    )
    chosen = rng.permutation(len(p))
    pairs = [(f"p{p[i]}", f"r{r[i]}") for i in chosen]
    max_load = rng.integers(1, 5, n_r)
    return {
        "table": table,
        "per_proposal": int(rng.integers(1, 4)),
        "max_load": max_load,
        "min_load": np.minimum(rng.integers(0, 2, n_r) * (seed % 3 == 0), max_load),
        "forbidden": pairs[: len(pairs) // 8],
        "forced": pairs[len(pairs) // 8 :][: seed % 3],
    }


def lp_optimum(
    table: ScoreTable, *, per_proposal: int, max_load, min_load=0, forced=(), forbidden=()
) -> float | None:
    """The same problem as a linear program solved by HiGHS; None when infeasible."""
    ids = list(
        zip(
            table.proposal_ids[table.proposal_idx],
            table.reviewer_ids[table.reviewer_idx],
            strict=True,
        )
    )
    score = dict(zip(ids, table.score.tolist(), strict=True))
    pairs = [pair for pair in ids if pair not in set(forbidden)]
    pairs += [pair for pair in forced if pair not in score]
    p_row = {pid: i for i, pid in enumerate(table.proposal_ids)}
    r_row = {rid: j for j, rid in enumerate(table.reviewer_ids)}
    cols = np.arange(len(pairs))
    a_p = csr_array(
        (np.ones(len(pairs)), ([p_row[p] for p, _ in pairs], cols)), shape=(len(p_row), len(pairs))
    )
    a_r = csr_array(
        (np.ones(len(pairs)), ([r_row[r] for _, r in pairs], cols)), shape=(len(r_row), len(pairs))
    )
    loads_max = np.broadcast_to(max_load, len(r_row))
    loads_min = np.broadcast_to(min_load, len(r_row))
    lower = [1.0 if pair in set(forced) else 0.0 for pair in pairs]
    result = linprog(
        [-score.get(pair, 0.0) for pair in pairs],
        A_ub=np.vstack([a_r.toarray(), -a_r.toarray()]),
        b_ub=np.concatenate([loads_max, -loads_min]),
        A_eq=a_p.toarray(),
        b_eq=np.full(len(p_row), per_proposal),
        bounds=list(zip(lower, [1.0] * len(pairs), strict=True)),
        method="highs",
    )
    return -result.fun if result.status == 0 else None


def solve_or_none(instance: dict, **extra):
    """solve_assignment's result, or None when it raises InfeasibleAssignment."""
    try:
        return solve_assignment(**instance, **extra)
    except InfeasibleAssignment:
        return None


def assigned(result) -> set:
    return {(p, r) for p, r, _ in result.pairs()}


def test_solver_total_equals_an_independent_lp_optimum_and_agrees_on_feasibility():
    outcomes = []
    for seed in SEEDS:
        instance = random_instance(seed)
        expected, result = lp_optimum(**instance), solve_or_none(instance)
        outcomes.append(expected is None)
        assert (result is None) == (expected is None), f"seed {seed}"
        if result is not None:
            assert result.total_score == pytest.approx(expected, abs=1e-6), f"seed {seed}"
    assert 10 < sum(outcomes) < len(SEEDS) - 10  # both kinds of instance were exercised


def test_forbidden_pairs_are_never_assigned_and_forced_pairs_always_are():
    for seed in SEEDS:
        instance = random_instance(seed)
        result = solve_or_none(instance)
        if result is not None:
            assert not assigned(result) & set(instance["forbidden"]), f"seed {seed}"
            assert set(instance["forced"]) <= assigned(result), f"seed {seed}"


def test_every_proposal_gets_exactly_k_reviewers_within_min_and_max_loads():
    for seed in SEEDS:
        instance = random_instance(seed)
        result = solve_or_none(instance)
        if result is None:
            continue
        table = instance["table"]
        per_proposal = dict.fromkeys(table.proposal_ids, 0)
        load = dict.fromkeys(table.reviewer_ids, 0)
        for p, r, _ in result.pairs():
            per_proposal[p] += 1
            load[r] += 1
        assert set(per_proposal.values()) == {instance["per_proposal"]}, f"seed {seed}"
        for j, r in enumerate(table.reviewer_ids):
            assert instance["min_load"][j] <= load[r] <= instance["max_load"][j], f"seed {seed}"
        assert len(assigned(result)) == len(result.scores)  # nobody twice on a proposal


def test_unwilling_or_conflicted_best_reviewer_is_passed_over():
    table = ScoreTable.from_pairs(["a", "a", "b", "b"], ["x", "y", "x", "y"], [0.9, 0.1, 0.8, 0.2])
    result = solve_assignment(table, per_proposal=1, max_load=2, forbidden=[("a", "x")])
    assert assigned(result) == {("a", "y"), ("b", "x")}
    assert result.total_score == pytest.approx(0.9)


def test_forced_pair_without_a_score_is_assigned_and_counts_zero():
    table = ScoreTable.from_pairs(
        ["a", "a", "b", "b"], ["x", "y", "x", "y"], [0.9, 0.8, 0.7, 0.6], reviewers=["x", "y", "z"]
    )
    result = solve_assignment(table, per_proposal=1, max_load=1, forced=[("a", "z")])
    assert result.pairs() == [("a", "z", 0.0), ("b", "x", 0.7)]
    assert result.new_pairs() == [("b", "x", 0.7)]
    assert result.total_score == pytest.approx(0.7)


def table_of(rows: str) -> ScoreTable:
    """'a x 0.5; a y 0.4' → a ScoreTable."""
    triples = [row.split() for row in rows.split(";")]
    return ScoreTable.from_pairs(
        [t[0] for t in triples], [t[1] for t in triples], [float(t[2]) for t in triples]
    )


PLENTY = "; ".join(f"{p} {r} 0.5" for p in "cde" for r in "uvw")


@pytest.mark.parametrize(
    "rows, options, expected",
    [
        (
            "a x 0.9; a y 0.8; b x 0.1; b y 0.1; b z 0.1",
            {"per_proposal": 3, "max_load": 2},
            "a (2 eligible, 3 needed)",
        ),
        (
            "a x 0.9; a y 0.8; a z 0.5",
            {"per_proposal": 2, "max_load": 2, "forbidden": [("a", "y"), ("a", "z")]},
            "a (1 eligible, 2 needed)",
        ),
        (
            "a x 0.9; b x 0.8; c x 0.5",
            {"per_proposal": 1, "max_load": 2},
            "need 3 more reviewer slots but the reviewers' max loads leave only 2",
        ),
        (
            "a x 0.9; b x 0.8; a y 0.5; b y 0.5",
            {"per_proposal": 1, "max_load": 1, "forced": [("a", "x"), ("b", "x")]},
            "x (2 > 1)",
        ),
        (
            "a x 0.9; a y 0.5",
            {"per_proposal": 1, "max_load": 1, "forced": [("a", "x"), ("a", "y")]},
            "more forced reviewers than 1: a",
        ),
        (
            "a x 0.9; a y 0.5",
            {"per_proposal": 1, "max_load": 1, "forced": [("a", "x")], "forbidden": [("a", "x")]},
            "both forced and forbidden: (a, x)",
        ),
        (
            "a x 0.9; a y 0.5",
            {"per_proposal": 1, "max_load": 1, "min_load": 2},
            "min load exceeds their max load: x, y",
        ),
        (
            "a x 0.9; b x 0.5; a y 0.5",
            {"per_proposal": 1, "max_load": 2, "min_load": {"x": 0, "y": 2}},
            "y (1 eligible, min 2)",
        ),
        (
            f"a x 0.9; a y 0.8; b x 0.5; b y 0.5; {PLENTY}",
            {"per_proposal": 2, "max_load": {"x": 1, "y": 1, "u": 3, "v": 3, "w": 3}},
            (
                "2 proposal(s) need 4 more reviewers between them but their eligible reviewers can "
                "give at most 2: proposals a, b"
            ),
        ),
        (
            "a x 0.9; a y 0.8; b z 0.5",
            {"per_proposal": 1, "max_load": 1, "min_load": {"x": 1, "y": 1, "z": 0}},
            "cannot all reach their minimum load",
        ),
    ],
)
def test_infeasible_problem_raises_with_the_reason(rows, options, expected):
    with pytest.raises(InfeasibleAssignment) as raised:
        solve_assignment(table_of(rows), **options)
    assert expected in str(raised.value)


@pytest.mark.parametrize(
    "options, expected",
    [
        ({"forced": [("a", "nobody")]}, "unknown ids: (a, nobody)"),
        ({"per_proposal": -1}, "per_proposal"),
        ({"max_load": {"x": 1}}, "max load missing for reviewer(s) y"),
        ({"fairness_tolerance": 1.5}, "fairness tolerance"),
    ],
)
def test_malformed_arguments_are_refused(options, expected):
    arguments = {"per_proposal": 1, "max_load": 2, **options}
    with pytest.raises(
        InvalidAssignmentInput, match=expected.replace("(", r"\(").replace(")", r"\)")
    ):
        solve_assignment(table_of("a x 0.9; a y 0.5"), **arguments)


def test_a_pair_listed_twice_in_the_scores_is_refused():
    with pytest.raises(InvalidAssignmentInput, match=r"pair \(a, x\) appears more than once"):
        table_of("a x 0.9; a y 0.5; a x 0.1")


def test_reassignment_keeps_every_other_pair_and_fills_the_gap_optimally():
    checked = 0
    for seed in SEEDS:
        instance = random_instance(seed)
        first = solve_or_none(instance)
        if first is None or not len(first.scores):
            continue
        current = sorted(assigned(first))
        free = sorted(assigned(first) - set(instance["forced"]))
        if not free:
            continue
        declined = [free[seed % len(free)]]
        keep = set(current) - set(declined)
        options = {key: instance[key] for key in ("table", "per_proposal", "max_load", "min_load")}
        expected = lp_optimum(
            **options,
            forced=[*keep, *instance["forced"]],
            forbidden=[*instance["forbidden"], *declined],
        )
        try:
            again = reassign(
                **options,
                current=current,
                declined=declined,
                forced=instance["forced"],
                forbidden=instance["forbidden"],
            )
        except InfeasibleAssignment:
            assert expected is None, f"seed {seed}"
            continue
        assert keep <= assigned(again), f"seed {seed}"
        assert not set(declined) & assigned(again), f"seed {seed}"
        assert {(p, r) for p, r, _ in again.new_pairs()} == assigned(again) - keep
        assert again.total_score == pytest.approx(expected, abs=1e-6), f"seed {seed}"
        checked += 1
    assert checked > 30


UNFAIR = "a x 1.0; a y 0.35; b x 0.7; b z 0.1"  # optimum {a-x, b-z}: 1.1 but b gets only 0.1


@pytest.mark.parametrize("method_limit", [assign_fair.CPSAT_PAIR_LIMIT, 0])
@pytest.mark.parametrize(
    "tolerance, total, least",
    [
        (0.05, 1.05, 0.35),  # {a-y, b-x} is within 5% and raises the minimum
        (0.01, 1.1, 0.1),  # …but not within 1%: the optimum stays
    ],
)
def test_fairness_mode_raises_the_worst_proposal_within_the_tolerance(
    tolerance, total, least, method_limit, monkeypatch
):
    monkeypatch.setattr(assign_fair, "CPSAT_PAIR_LIMIT", method_limit)
    result = solve_assignment(
        table_of(UNFAIR), per_proposal=1, max_load=1, fairness_tolerance=tolerance
    )
    assert (result.optimal_total, result.optimal_min_proposal_total) == pytest.approx((1.1, 0.1))
    assert (result.total_score, result.min_proposal_total) == pytest.approx((total, least))


@pytest.mark.parametrize(
    "options, bound",
    [
        ({"per_proposal": 1}, 0.7),
        ({"per_proposal": 1, "forced": [("b", "z")]}, 0.1),
        ({"per_proposal": 2}, 0.8),
        ({"per_proposal": 2, "forbidden": [("a", "y")], "forced": [("b", "x")]}, 0.8),
    ],
)
def test_no_proposal_can_beat_its_own_best_candidates(options, bound):
    problem = build_problem(table_of(UNFAIR), max_load=2, **options)
    assert assign_fair.own_best_bound(problem) == pytest.approx(bound)


@pytest.mark.parametrize("method_limit", [assign_fair.CPSAT_PAIR_LIMIT, 0])
def test_fairness_mode_never_lowers_the_minimum_nor_breaks_the_total_bound(
    method_limit, monkeypatch
):
    monkeypatch.setattr(assign_fair, "CPSAT_PAIR_LIMIT", method_limit)
    improved = 0
    for seed in range(40):
        instance = random_instance(seed)
        result = solve_or_none(instance, fairness_tolerance=0.1, fairness_time_limit=5)
        if result is None:
            continue
        assert result.total_score >= 0.9 * result.optimal_total - 1e-9, f"seed {seed}"
        assert result.min_proposal_total >= result.optimal_min_proposal_total, f"seed {seed}"
        assert not assigned(result) & set(instance["forbidden"])
        improved += result.min_proposal_total > result.optimal_min_proposal_total
    assert improved >= 2


SCORES = "p1,r1,0.9\np1,r2,0.5\np1,r3,0.2\np2,r1,0.8\np2,r2,0.7\np2,r3,0.1\n"


def run_cli(tmp_path: Path, scores: str, *args: str, constraints: str | None = None):
    """Run `python -m reviews.assign` on literal CSV text; returns (process, output text)."""
    (tmp_path / "scores.csv").write_text(scores, encoding="utf-8")
    extra = []
    if constraints is not None:
        (tmp_path / "constraints.csv").write_text(constraints, encoding="utf-8")
        extra = ["--constraints", str(tmp_path / "constraints.csv")]
    out = tmp_path / "out.csv"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "reviews.assign",
            "--scores",
            str(tmp_path / "scores.csv"),
            "--out",
            str(out),
            *extra,
            *args,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return done, out.read_text(encoding="utf-8") if out.exists() else None


@pytest.mark.parametrize(
    "score_header, constraint_header",
    [("", ""), ("proposal_id,reviewer_id,score\n", "proposal_id,reviewer_id,value\n")],
)
def test_cli_reads_files_with_or_without_a_header(tmp_path, score_header, constraint_header):
    done, output = run_cli(
        tmp_path,
        score_header + SCORES,
        "--per-proposal",
        "2",
        "--max-load",
        "2",
        constraints=constraint_header + "p1,r1,-1\n",
    )
    assert done.returncode == 0, done.stderr
    assert output.splitlines() == [
        "proposal_id,reviewer_id,score",
        "p1,r2,0.5",
        "p1,r3,0.2",
        "p2,r1,0.8",
        "p2,r2,0.7",
    ]
    assert "total score 2.2" in done.stdout


@pytest.mark.parametrize(
    "scores, args, status, message",
    [
        (
            SCORES,
            ["--per-proposal", "3", "--max-load", "1"],
            1,
            "the proposals need 6 more reviewer slots but the reviewers' max loads leave only 3",
        ),
        (
            "p1,r1,0.9\np1,r2\n",
            ["--per-proposal", "1", "--max-load", "1"],
            2,
            "line 2: score is missing",
        ),
        (
            "proposal_id,reviewer_id,score\np1,r1,0.9\np1,r2,high\n",
            ["--per-proposal", "1", "--max-load", "1"],
            2,
            "line 3: score 'high' is not a number",
        ),
        (
            "p1,r1,0.9,extra\n",
            ["--per-proposal", "1", "--max-load", "1"],
            2,
            "line 1: expected 3 fields, found 4",
        ),
        (
            "p1,r1,0.9\np2,r1,0.5\np2,r2,0.1,7\n",
            ["--per-proposal", "1", "--max-load", "1"],
            2,
            "line 3: expected 3 fields, found 4",
        ),
    ],
)
def test_cli_exits_non_zero_with_the_reason_and_no_traceback(
    tmp_path, scores, args, status, message
):
    done, _ = run_cli(tmp_path, scores, *args)
    assert done.returncode == status
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_cli_refuses_a_constraint_value_other_than_minus_one_zero_or_one(tmp_path):
    done, _ = run_cli(
        tmp_path, SCORES, "--per-proposal", "1", "--max-load", "2", constraints="p1,r1,1\np2,r2,2\n"
    )
    assert done.returncode == 2
    assert "line 2: value must be -1, 0 or 1, not 2" in done.stderr
