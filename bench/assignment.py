"""Benchmark of the reviewer-assignment engine:
`python bench/assignment.py [--sizes small,medium,full]`.

For each size: synthetic scores (each proposal's best candidates among all reviewers) and
~1% conflicts are written to CSV in a temporary folder, the CLI runs end to end in a
subprocess (CSV in, CSV out) and reports its stage timings and peak memory; small sizes are
checked against an independent LP (scipy's HiGHS). Then the affinity computation on
synthetic Vietnamese and English texts, and the fairness mode on a moderate size.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reviews.affinity.rules import ProposalText, ReviewerText, compute_affinities
from reviews.assign import ScoreTable, solve_assignment

SIZES = {  # proposals, reviewers, candidates per proposal
    "small": (300, 150, 60),
    "medium": (2_000, 1_000, 150),
    "full": (10_000, 5_000, 300),
}
PER_PROPOSAL, MAX_LOAD = 3, 8
SYLLABLES = [
    "bán",
    "dẫn",
    "nông",
    "nghiệp",
    "vật",
    "liệu",
    "sinh",
    "học",
    "hóa",
    "năng",
    "lượng",
    "tái",
    "tạo",
    "mạch",
    "tích",
    "hợp",
    "thủy",
    "sản",
    "lúa",
    "gạo",
    "trí",
    "tuệ",
    "nhân",
    "tạo",
    "mạng",
    "lưới",
    "điện",
    "dược",
    "phẩm",
    "y",
    "tế",
    "môi",
    "trường",
    "khí",
    "hậu",
    "cảm",
    "biến",
    "robot",
    "tự",
    "động",
    "hóa",
    "vi",
    "khuẩn",
    "gen",
    "tế",
    "bào",
    "đất",
    "phân",
    "bón",
    "nước",
    "biển",
    "đảo",
    "giao",
    "thông",
    "cầu",
    "đường",
    "xây",
    "dựng",
    "bê",
    "tông",
    "thép",
    "quang",
    "điện",
    "tử",
]
ENGLISH = [
    "semiconductor",
    "chip",
    "agriculture",
    "rice",
    "material",
    "biology",
    "chemistry",
    "energy",
    "solar",
    "circuit",
    "fishery",
    "intelligence",
    "network",
    "grid",
    "pharmacy",
    "health",
    "environment",
    "climate",
    "sensor",
    "robot",
    "automation",
    "bacteria",
    "gene",
    "cell",
    "soil",
    "fertilizer",
    "water",
    "marine",
    "transport",
    "bridge",
    "concrete",
    "steel",
    "photonics",
    "lithography",
    "catalyst",
    "battery",
    "vaccine",
    "protein",
    "drought",
    "irrigation",
    "learning",
    "vision",
    "language",
    "wireless",
    "antenna",
]


def synthetic_scores(n_p: int, n_r: int, n_c: int, seed: int) -> pd.DataFrame:
    """Each proposal's n_c best reviewers under a latent-topic model, scores in [0, 1]."""
    rng = np.random.default_rng(seed)
    topics_p = rng.dirichlet(np.full(24, 0.15), n_p)
    topics_r = rng.dirichlet(np.full(24, 0.15), n_r)
    topics_p /= np.linalg.norm(topics_p, axis=1, keepdims=True)
    topics_r /= np.linalg.norm(topics_r, axis=1, keepdims=True)
    rows, cols, values = [], [], []
    for start in range(0, n_p, 1_000):
        block = topics_p[start : start + 1_000] @ topics_r.T
        block = np.clip(block + rng.normal(0, 0.05, block.shape), 0, 1)
        best = np.argpartition(-block, n_c - 1, axis=1)[:, :n_c]
        rows.append(np.repeat(np.arange(start, start + len(block)), n_c))
        cols.append(best.ravel())
        values.append(np.take_along_axis(block, best, 1).ravel())
    p, r = np.concatenate(rows), np.concatenate(cols)
    p_names = np.array([f"p{i}" for i in range(n_p)], dtype=object)
    r_names = np.array([f"r{j}" for j in range(n_r)], dtype=object)
    return pd.DataFrame(
        {
            "proposal_id": p_names[p],
            "reviewer_id": r_names[r],
            "score": np.round(np.concatenate(values), 6),
        }
    )


def _topic_words(rng: np.random.Generator, n_topics: int) -> list[tuple[list[str], list[str]]]:
    """Per topic: Vietnamese two-syllable terms and English words."""
    vocab = []
    for _ in range(n_topics):
        vi = [" ".join(rng.choice(SYLLABLES, 2, replace=False)) for _ in range(25)]
        en = [f"{w}{rng.integers(0, 30)}" for w in rng.choice(ENGLISH, 25)]
        vocab.append((vi, en))
    return vocab


def synthetic_texts(n_p: int, n_r: int, seed: int) -> tuple[list, list]:
    """Bilingual proposals (titles, abstract, keywords) and reviewer profiles on 60 topics."""
    rng = np.random.default_rng(seed)
    vocab, common = _topic_words(rng, 60), list(SYLLABLES)

    def words(topic: int, n: int, share: float = 0.6) -> str:
        """n words, `share` of them from the topic's vocabulary."""
        vi, en = vocab[topic]
        mine = rng.choice(vi + en, int(n * share))
        return " ".join([*mine, *rng.choice(common, n - len(mine))])

    proposals = []
    for i in range(n_p):
        t = int(rng.integers(60))
        proposals.append(
            ProposalText(
                f"p{i}",
                title_vi=words(t, 8),
                title_en=words(t, 8),
                abstract=". ".join(words(t, 25) for _ in range(6)),
                keywords=rng.choice(vocab[t][0], 4).tolist(),
                area=f"area{t % 12}",
            )
        )
    reviewers = []
    for j in range(n_r):
        ts = rng.integers(60, size=2)
        reviewers.append(
            ReviewerText(
                f"r{j}",
                keywords=rng.choice(vocab[ts[0]][0] + vocab[ts[1]][1], 8).tolist(),
                publications=[words(int(rng.choice(ts)), 12) for _ in range(8)],
                areas=sorted({f"area{t % 12}" for t in ts}),
            )
        )
    return proposals, reviewers


def write_instance(folder: Path, n_p: int, n_r: int, n_c: int, seed: int = 7) -> pd.DataFrame:
    """scores.csv without a header (OpenReview style), constraints.csv with one; ~1% conflicts."""
    scores = synthetic_scores(n_p, n_r, n_c, seed=seed)
    scores.to_csv(folder / "scores.csv", header=False, index=False, float_format="%.6f")
    rng = np.random.default_rng(seed + 1)
    conflicts = scores.sample(frac=0.01, random_state=seed)[["proposal_id", "reviewer_id"]]
    forced = (
        scores.groupby("proposal_id")
        .nth(n_c // 2)
        .sample(n=max(n_p // 200, 1), random_state=seed)[["proposal_id", "reviewer_id"]]
    )
    constraints = pd.concat([conflicts.assign(value=-1), forced.assign(value=1)])
    constraints = constraints.drop_duplicates(["proposal_id", "reviewer_id"], keep="last")
    constraints.iloc[rng.permutation(len(constraints))].to_csv(
        folder / "constraints.csv", index=False
    )
    return scores


def run_cli(folder: Path, *extra: str) -> dict[str, float]:
    """Run the CLI in a subprocess; its --verbose stage timings, peak MB and wall time."""
    command = [
        sys.executable,
        "-m",
        "reviews.assign",
        "--scores",
        str(folder / "scores.csv"),
        "--constraints",
        str(folder / "constraints.csv"),
        "--per-proposal",
        str(PER_PROPOSAL),
        "--max-load",
        str(MAX_LOAD),
        "--out",
        str(folder / "assignment.csv"),
        "--verbose",
        *extra,
    ]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"CLI failed ({done.returncode}): {done.stderr}")
    figures = {name: float(value) for name, value in re.findall(r"(\w+) ([\d.]+)s\b", done.stdout)}
    figures["peak_mb"] = float(re.search(r"peak memory (\d+) MB", done.stdout)[1])
    figures["wall"] = wall
    figures["total_score"] = float(re.search(r"total score ([\d.]+)", done.stdout)[1])
    fair = re.search(r"min proposal total ([\d.]+) → fair min proposal total ([\d.]+)", done.stdout)
    if fair:
        figures["optimal_min"], figures["fair_min"] = float(fair[1]), float(fair[2])
    return figures


def run_bare(folder: Path) -> dict[str, float]:
    """The floor: bench/assignment_bare.py (pandas + OR-Tools' array calls) on the same files."""
    command = [
        sys.executable,
        str(ROOT / "bench" / "assignment_bare.py"),
        str(folder / "scores.csv"),
        str(folder / "constraints.csv"),
        str(PER_PROPOSAL),
        str(MAX_LOAD),
        str(folder / "bare.csv"),
    ]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - started
    total = float(re.search(r"total score ([\d.]+)", done.stdout)[1])
    return {"wall": wall, "total_score": total}


def against_bare(folder: Path, rounds: int = 3) -> dict[str, float]:
    """CLI and bare solve alternating on the same files, medians of wall times (process start
    to exit, both), so the machine's other load falls on both."""
    cli, bare = [], []
    for _ in range(rounds):
        bare.append(run_bare(folder))
        cli.append(run_cli(folder))
    assert abs(cli[0]["total_score"] - bare[0]["total_score"]) < 1e-6, "different optima"
    cli_wall = statistics.median(f["wall"] for f in cli)
    bare_wall = statistics.median(f["wall"] for f in bare)
    return {"cli_wall": cli_wall, "bare_wall": bare_wall, "ratio": cli_wall / bare_wall}


def lp_optimum(folder: Path) -> float:
    """The optimum of the same instance as an LP (HiGHS through scipy), read from the CSVs."""
    from scipy.optimize import linprog
    from scipy.sparse import csr_array

    scores = pd.read_csv(folder / "scores.csv", header=None, dtype=str, names=["p", "r", "s"])
    constraints = pd.read_csv(folder / "constraints.csv", dtype=str)
    value = scores.merge(
        constraints, how="left", left_on=["p", "r"], right_on=["proposal_id", "reviewer_id"]
    )["value"].fillna("0")
    keep = (value != "-1").to_numpy()
    p, _ = pd.factorize(scores["p"][keep])
    r, _ = pd.factorize(scores["r"][keep])
    s, n = scores["s"][keep].astype(float).to_numpy(), int(keep.sum())
    rows_p = csr_array((np.ones(n), (p, np.arange(n))))
    rows_r = csr_array((np.ones(n), (r, np.arange(n))))
    lower = (value[keep] == "1").to_numpy().astype(float)
    result = linprog(
        -s,
        A_ub=rows_r,
        b_ub=np.full(rows_r.shape[0], MAX_LOAD),
        A_eq=rows_p,
        b_eq=np.full(rows_p.shape[0], PER_PROPOSAL),
        bounds=np.column_stack([lower, np.ones(n)]),
        method="highs",
    )
    assert result.status == 0, result.message
    return -result.fun


def bench_assignment(names: list[str]) -> list[dict]:
    """CLI end-to-end figures for each size."""
    rows = []
    for name in names:
        n_p, n_r, n_c = SIZES[name]
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            started = time.perf_counter()
            write_instance(folder, n_p, n_r, n_c)
            generated = time.perf_counter() - started
            figures = run_cli(folder)
            lp = lp_optimum(folder) if name != "full" else float("nan")
            fair = run_cli(folder, "--fairness", "0.05") if name == "full" else None
            if name == "full":
                floor = against_bare(folder)
                print(
                    f"\nfull size, CSV in → CSV out, medians of 3 alternating runs: CLI "
                    f"{floor['cli_wall']:.2f} s, bare OR-Tools {floor['bare_wall']:.2f} s, "
                    f"ratio {floor['ratio']:.2f} (target ≤ 1.2)"
                )
                print(f"ASSIGNMENT_RATIO {floor['ratio']:.2f}")
        rows.append(
            {
                "size": name,
                "proposals": n_p,
                "reviewers": n_r,
                "pairs": n_p * n_c,
                "generate": generated,
                **figures,
                "lp_optimum": lp,
                "cli_minus_lp": f"{figures['total_score'] - lp:.1e}",
            }
        )
        if fair:
            rows.append(
                {
                    "size": name + " --fairness 0.05",
                    "proposals": n_p,
                    "reviewers": n_r,
                    "pairs": n_p * n_c,
                    **fair,
                }
            )
    return rows


def bench_affinity(names: list[str], segmenter: str) -> list[dict]:
    """compute_affinities wall time for each size on synthetic bilingual texts."""
    rows = []
    for name in names:
        n_p, n_r, _ = SIZES[name]
        proposals, reviewers = synthetic_texts(n_p, n_r, seed=3)
        started = time.perf_counter()
        pairs = compute_affinities(proposals, reviewers, top_n=300, segmenter=segmenter)
        rows.append(
            {
                "size": name,
                "segmenter": segmenter,
                "proposals": n_p,
                "reviewers": n_r,
                "pairs": len(pairs),
                "seconds": time.perf_counter() - started,
            }
        )
    return rows


def bench_fairness(n_p: int, n_r: int, n_c: int, tolerance: float = 0.05) -> dict:
    """Optimal vs fair totals and minima on one instance."""
    frame = synthetic_scores(n_p, n_r, n_c, seed=11)
    table = ScoreTable.from_frame(frame)
    started = time.perf_counter()
    result = solve_assignment(
        table,
        per_proposal=PER_PROPOSAL,
        max_load=MAX_LOAD,
        fairness_tolerance=tolerance,
        fairness_time_limit=60,
    )
    return {
        "proposals": n_p,
        "reviewers": n_r,
        "pairs": len(frame),
        "tolerance": tolerance,
        "optimal_total": result.optimal_total,
        "fair_total": result.total_score,
        "optimal_min": result.optimal_min_proposal_total,
        "fair_min": result.min_proposal_total,
        "bound": result.fairness_bound,
        "method": result.fairness_method,
        "seconds": time.perf_counter() - started,
    }


def print_table(title: str, rows: list[dict]) -> None:
    """A plain aligned table."""
    print(f"\n{title}")
    frame = pd.DataFrame(rows)
    print(frame.to_string(index=False, float_format=lambda v: f"{v:.2f}"))


def main() -> None:
    """Run the chosen sizes and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="small,medium,full")
    parser.add_argument("--skip-affinity", action="store_true")
    parser.add_argument("--segmenters", default="ngram,pyvi")
    names = parser.parse_args().sizes.split(",")
    print_table(
        "Assignment CLI, CSV in → CSV out (k=3, max load 8, ~1% conflicts)", bench_assignment(names)
    )
    if not parser.parse_args().skip_affinity:
        rows = [
            row
            for segmenter in parser.parse_args().segmenters.split(",")
            for row in bench_affinity(names, segmenter)
        ]
        print_table("Affinity (top 300 per proposal)", rows)
        full = [r["seconds"] for r in rows if r["size"] == "full" and r["segmenter"] == "ngram"]
        if full:
            print(f"AFFINITY_FULL_SECONDS {full[0]:.2f}")
    print_table(
        "Fairness mode (tolerance 5%)",
        [bench_fairness(300, 150, 40), bench_fairness(2_000, 1_000, 150)],
    )


if __name__ == "__main__":
    main()
