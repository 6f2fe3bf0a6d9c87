"""Benchmark of budget compliance on a synthetic national portfolio.

    python bench/compliance.py [--projects 100000] [--years 10] [--backend sqlite|postgresql]

100,000 projects over 10 fiscal years, each 3-7 years long with planned, committed and
disbursed amounts from state and non-state sources: about 3 million ledger rows. Times the
import (CSV → validated → upserted → totals rebuilt), evaluating every rule for every year,
rendering the dashboard page and the PDF, with peak memory (RSS); and, in the same run, the
plain pandas group-by of the same rows in memory as the floor. Prints one line per figure.
"""

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from funds.compliance import figures
from funds.compliance.importing import ImportFile
from funds.compliance.rules import evaluate_year
from funds.compliance.services import ImportRejected, import_budget
from funds.portfolio.services import rebuild_portfolio_totals

AREAS = ["AI", "SEMICONDUCTOR", "BIOTECH", "ENERGY", "ROBOTICS", "CYBERSECURITY", ""]
FIRST_YEAR = 2021
IMPORT_TARGET_S = {"sqlite": 30, "postgresql": 15}  # issue #17 item 5, peak RSS < 1 GB


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def synthetic_blocks(projects: int, years: int, seed: int = 57):
    """The ledger rows as DataFrames, one per basis and source (vectorised: one row per
    project, year, basis, source), so the CSV is written without holding every row."""
    rng = np.random.default_rng(seed)
    length = rng.integers(3, 9, projects)
    start = rng.integers(0, max(years - 2, 1), projects)
    length = np.minimum(length, years - start)
    project = np.repeat(np.arange(projects), length)
    offset = np.arange(len(project)) - np.repeat(np.cumsum(length) - length, length)
    year = FIRST_YEAR + np.repeat(start, length) + offset
    area = np.array(AREAS)[rng.integers(0, len(AREAS), projects)][project]
    fund = project % 20
    n = len(project)
    for basis, factor in (("planned", 1.0), ("committed", 0.9), ("disbursed", 0.7)):
        for source, share in (("state", 0.6), ("nonstate", 0.4)):
            amount = (rng.integers(200, 5_000, n) * 1_000_000 * factor * share).astype("int64")
            block = pd.DataFrame(
                {
                    "project_code": pd.Series(project).map("P{:06d}".format),
                    "fund_code": pd.Series(fund).map("F{:02d}".format),
                    "strategic_area": area,
                    "fiscal_year": year,
                    "basis": basis,
                    "source": source,
                    "amount_vnd": amount,
                }
            )
            block.insert(1, "title", "Đề tài " + block["project_code"])
            yield block


def synthetic(projects: int, years: int, seed: int = 57) -> pd.DataFrame:
    """The ledger rows as one DataFrame."""
    return pd.concat(synthetic_blocks(projects, years, seed), ignore_index=True)


def write_inputs(folder: Path, blocks, years: int) -> tuple[list[Path], int]:
    """The three CSV files; the ledger written block by block. Returns (paths, ledger rows)."""
    funds = pd.DataFrame(
        {"fund_code": [f"F{i:02d}" for i in range(20)], "name": [f"Quỹ {i}" for i in range(20)]}
    )
    budget = pd.DataFrame({"fiscal_year": range(FIRST_YEAR, FIRST_YEAR + years)})
    budget["total_state_budget_vnd"] = 2_000_000_000_000_000
    budget["stidx_budget_vnd"] = [(28 + i) * 2_000_000_000_000 for i in range(years)]
    budget["st_budget_vnd"] = budget["stidx_budget_vnd"] // 2
    paths = [folder / "funds.csv", folder / "budget_years.csv", folder / "portfolio.csv"]
    funds.to_csv(paths[0], index=False)
    budget.to_csv(paths[1], index=False)
    rows = 0
    for block in blocks:
        block.to_csv(paths[2], index=False, mode="a" if rows else "w", header=not rows)
        rows += len(block)
    return paths, rows


def median_time(fn, repeat: int = 5) -> float:
    fn()  # warm
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def evaluate_all(session) -> int:
    """Every rule for every year, from the database (what the report and API do)."""
    years = figures.year_figures(session)
    specs = figures.rule_specs(session)
    return sum(len(evaluate_year(specs, years, y)) for y in years)


def pandas_floor(frame: pd.DataFrame):
    """The plain group-by of the same rows, already in memory: the floor to compare with."""
    return frame.groupby(
        ["fiscal_year", "basis", "source", frame["strategic_area"] != ""], sort=False
    )["amount_vnd"].sum()


def report(name: str, value: float, unit: str, target: str = "") -> None:
    print(f"{name:<44} {value:>10.3f} {unit:<3} peak RSS {peak_mb():>7.0f} MB  {target}")


def run(args, url: str, folder: Path) -> None:
    from portal import create_app
    from portal.cli import upgrade_database

    t0 = time.perf_counter()
    paths, rows = write_inputs(folder, synthetic_blocks(args.projects, args.years), args.years)
    report(f"generate + write CSV ({rows:,} rows)", time.perf_counter() - t0, "s")
    upgrade_database(url)
    app = create_app(
        {"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "bench", "PASSWORD_HASH_FAST": True}
    )
    from sqlmodel import Session

    with Session(app.extensions["rdfund.engine"]) as s:
        t0, cpu0 = time.perf_counter(), time.process_time()
        try:
            counts = import_budget(s, actor=None, files=[ImportFile(p.name, path=p) for p in paths])
        except ImportRejected as exc:
            sys.exit("\n".join(p.english() for p in exc.problems[:20]))
        s.commit()
        report(
            f"import ({counts['portfolio']:,} ledger rows)",
            time.perf_counter() - t0,
            "s",
            f"target < {IMPORT_TARGET_S[args.backend]} s, < 1024 MB "
            f"(this process's CPU {time.process_time() - cpu0:.1f} s)",
        )
        t_eval = median_time(lambda: evaluate_all(s))
        report(
            f"evaluate all rules, all years ({evaluate_all(s)} results)",
            t_eval,
            "s",
            "target < 2 s",
        )
        t_ledger = median_time(lambda: (rebuild_portfolio_totals(s), evaluate_all(s)), repeat=3)
        s.commit()
        report("evaluate straight from the ledger (GROUP BY)", t_ledger, "s", "target < 2 s")
        frame = synthetic(args.projects, args.years)  # after the import: not in its peak
        t_floor = median_time(lambda: pandas_floor(frame))
        report("floor: pandas group-by of the same rows", t_floor, "s")
        print(f"{'ratio evaluate / floor':<44} {t_eval / t_floor:>10.2f} x   target <= 3x")
        print(f"{'ratio from-ledger / floor':<44} {t_ledger / t_floor:>10.2f} x   target <= 3x")
    render_pages(signed_in_manager(app))


def signed_in_manager(app):
    """A test client signed in as a manager with an authenticator (password, then code), the
    account made through the domain's services."""
    import re

    from sqlmodel import Session

    from funds.accounts.mfa import rules as mfa_rules
    from funds.accounts.mfa import services as mfa
    from funds.accounts.services import create_user
    from funds.clock import utcnow

    email, password = "manager@example.org", "copper-lantern-orchard-7"
    with Session(app.extensions["rdfund.engine"]) as s:
        user = create_user(
            s, actor=None, email=email, name="Bench", password=password, roles=["manager"]
        )
        secret = mfa.start_enrolment(s, actor=user).secret
        step = mfa_rules.time_step(utcnow())
        mfa.confirm_enrolment(s, actor=user, code=mfa_rules.code_at(secret, step - 1))
        s.commit()
    client = app.test_client()

    def post(url: str, data: dict):
        page = client.get("/auth/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        return client.post(url, data={"csrf_token": token, **data})

    code_step = post("/auth/login", {"email": email, "password": password}).headers["Location"]
    post(code_step, {"code": mfa_rules.code_at(secret, step)})
    return client


def render_pages(client) -> None:
    t_page = median_time(lambda: client.get("/budget/").status_code == 200 or sys.exit(1))
    report("dashboard page /budget/", t_page * 1000, "ms", "target < 300 ms")
    t_pdf = median_time(lambda: client.get("/budget/report.pdf").data, repeat=2)
    report("PDF report", t_pdf, "s", "target < 10 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rdfund-bench-") as tmp:
        folder = Path(tmp)
        print(f"backend {args.backend}; {args.projects:,} projects over {args.years} years")
        if args.backend == "sqlite":
            run(args, f"sqlite:///{folder / 'bench.sqlite'}", folder)
            return
        from sqlalchemy import create_engine, text

        from bench.pgcluster import Cluster

        cluster = Cluster().start()
        try:
            engine = create_engine(cluster.url(), isolation_level="AUTOCOMMIT")
            with engine.connect() as conn:
                conn.execute(text("CREATE DATABASE bench"))
            engine.dispose()
            run(args, cluster.url("bench"), folder)
        finally:
            cluster.stop()


if __name__ == "__main__":
    main()
