"""Benchmark of the public project list and the open data API on a large portfolio.

    nice python bench/public_api.py [--projects 100000] [--requests 200]

Starts a private PostgreSQL cluster (bench/pgcluster.py), migrates it, and fills it fast with
plain INSERTs: 20 funds, 40 calls, 300 host organisations, 5,000 principal investigators and
`--projects` funded projects (proposal, award, one state budget line, a public record with its
folded search text; a result for every second project). Then times, through the WSGI test
client, the public list page /public/projects and the API /api/v1/projects, each with a
random filter of the kinds people use (year; fund and year; area; host; status and area;
a search word), and prints p50 and p95 of each. Target: p95 under 100 ms for a filtered page.
"""

import argparse
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import create_engine, insert, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from funds.clock import utcnow
from funds.publication import rules
from funds.text import fold_text

SENTENCE = (
    "cảm biến điện tử nông nghiệp vật liệu pin năng lượng chip bán dẫn trí tuệ nhân tạo robot "
    "sinh học y tế vắc xin nước sạch lúa gạo thủy sản mạng an ninh dữ liệu bản đồ vệ tinh"
)
WORDS = tuple(SENTENCE.split(" "))
FUNDS, CALLS, HOSTS, PIS = 20, 40, 300, 5_000
BATCH = 5_000


def _batches(rows: list[dict]):
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]


def _put(conn, table, rows: list[dict]) -> None:
    for chunk in _batches(rows):
        conn.execute(insert(table), chunk)


def fill(engine, projects: int, seed: int = 18) -> None:
    """The synthetic portfolio, inserted table by table (ids follow insertion order)."""
    from funds.accounts.models import User
    from funds.calls.models import Call, Fund
    from funds.hosts.models import Host
    from funds.projects.models import Award, AwardBudgetLine, Output
    from funds.proposals.models import Proposal
    from funds.publication.models import PublicProject
    from funds.types import table_of

    rng = random.Random(seed)
    now = utcnow()
    with engine.begin() as conn:
        areas = list(conn.execute(text("SELECT code FROM strategic_technology")).scalars())
        regime = conn.execute(text("SELECT code FROM closeout_regime LIMIT 1")).scalar_one()
        _put(
            conn, table_of(Fund), [{"code": f"F{i:02d}", "name": f"Quỹ {i}"} for i in range(FUNDS)]
        )
        _put(
            conn,
            table_of(Call),
            [
                {
                    "fund_id": 1 + i % FUNDS, "title": f"Đợt gọi {i}", "ceiling_vnd": 10**9,
                    "budget_vnd": 10**11, "opens_at": now - timedelta(days=400 + i),
                    "closes_at": now - timedelta(days=300 + i),
                }
                for i in range(CALLS)
            ],
        )  # fmt: skip
        hosts = [f"Viện {rng.choice(WORDS)} {rng.choice(WORDS)} số {i}" for i in range(HOSTS)]
        _put(
            conn,
            table_of(Host),
            [{"name_vi": h, "folded_name": fold_text(h), "tax_code": f"{i:010d}"}
             for i, h in enumerate(hosts)],
        )  # fmt: skip
        pis = [f"Nguyễn Văn {rng.choice(WORDS).title()} {i}" for i in range(PIS)]
        _put(
            conn,
            table_of(User),
            [{"email": f"pi{i}@example.org", "name": n, "password_hash": "x"}
             for i, n in enumerate(pis)],
        )  # fmt: skip
        proposals, awards, lines, records, outputs = [], [], [], [], []
        sequences: dict[tuple[int, int], int] = {}
        for n in range(1, projects + 1):
            call_id, pi_id, host_id = (
                rng.randint(1, CALLS),
                rng.randint(1, PIS),
                rng.randint(1, HOSTS),
            )
            fund_id = 1 + (call_id - 1) % FUNDS
            year = rng.randint(2016, 2026)
            title = " ".join(rng.sample(WORDS, 6)).capitalize()
            proposals.append({
                "call_id": call_id, "pi_id": pi_id, "title": title, "abstract": title * 4,
                "area_code": rng.choice(areas), "requested_vnd": 10**9, "status": "funded",
                "host_id": host_id,
            })  # fmt: skip
            start = date(year, rng.randint(1, 12), 1)
            status = rng.choice(["active", "active", "closed", "closed", "stopped"])
            awards.append({
                "proposal_id": n, "contract_number": f"HD-{n}", "contract_date": start,
                "start_date": start, "end_date": start + timedelta(days=730), "status": status,
                "regime_code": regime,
            })  # fmt: skip
            lines.append({"award_id": n, "category": "personnel", "fiscal_year": year,
                          "source": "state", "amount_vnd": rng.randint(2, 50) * 10**8})  # fmt: skip
            seq = sequences[(fund_id, year)] = sequences.get((fund_id, year), 0) + 1
            public_id = rules.public_id(f"F{fund_id - 1:02d}", year, seq)
            records.append({
                "award_id": n, "proposal_id": n, "public_id": public_id,
                "fund_id": fund_id, "year": year,
                "sequence": seq,
                "search_text": rules.search_text(title, hosts[host_id - 1], public_id),
                "pi_text": fold_text(pis[pi_id - 1]),
            })  # fmt: skip
            if n % 2 == 0:
                outputs.append({"award_id": n, "kind": "publication", "title": title,
                                "year": min(year + 1, 2026)})  # fmt: skip
        for table, rows in (
            (Proposal, proposals), (Award, awards), (AwardBudgetLine, lines),
            (PublicProject, records), (Output, outputs),
        ):  # fmt: skip
            _put(conn, table_of(table), rows)
        conn.execute(text("ANALYZE"))


def filters(rng: random.Random, areas: list[str]) -> dict:
    """One filter of the kinds people use."""
    kind = rng.randrange(6)
    year = rng.randint(2016, 2026)
    if kind == 0:
        return {"year": year}
    if kind == 1:
        return {"fund": f"F{rng.randrange(FUNDS):02d}", "year": year}
    if kind == 2:
        return {"area": rng.choice(areas)}
    if kind == 3:
        return {"host": rng.randint(1, HOSTS)}
    if kind == 4:
        return {"status": rng.choice(["active", "closed"]), "area": rng.choice(areas)}
    return {"q": rng.choice(WORDS), "year": year}


def timed(client, url: str, params: list[dict]) -> list[float]:
    times = []
    for p in params:
        t0 = time.perf_counter()
        response = client.get(url, query_string=p)
        times.append((time.perf_counter() - t0) * 1000)
        if response.status_code != 200:
            sys.exit(f"{url} {p}: {response.status_code}")
    return times


def show(name: str, times: list[float], key: str = "") -> None:
    """p50/p95/max of one figure; `key` also prints a line bench/summary.py reads."""
    ordered = sorted(times)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    verdict = "ok" if p95 < 100 else "OVER"
    print(
        f"{name:<44} p50 {statistics.median(ordered):7.1f} ms  p95 {p95:7.1f} ms  "
        f"max {ordered[-1]:7.1f} ms  target p95 < 100 ms: {verdict}"
    )
    if key:
        print(f"{key} {p95:.1f}")


def run(url: str, args) -> None:
    from portal import create_app
    from portal.cli import upgrade_database

    upgrade_database(url)
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "bench",
                      "API_RATE_LIMIT": ""})  # fmt: skip
    engine = app.extensions["rdfund.engine"]
    t0 = time.perf_counter()
    fill(engine, args.projects)
    filled = f"fill {args.projects:,} projects"
    print(f"{filled:<44} {time.perf_counter() - t0:7.1f} s")
    with engine.connect() as conn:
        areas = list(conn.execute(text("SELECT DISTINCT area_code FROM proposal")).scalars())
    rng = random.Random(57)
    params = [filters(rng, areas) for _ in range(args.requests)]
    client = app.test_client()
    timed(client, "/public/projects", params[:10])  # warm
    page = timed(client, "/public/projects", params)
    show("page /public/projects (filtered)", page, "PUBLIC_PAGE_P95_MS")
    api = timed(client, "/api/v1/projects", params)
    show("API /api/v1/projects (filtered)", api, "API_PAGE_P95_MS")
    show("page /public/projects (no filter)", timed(client, "/public/projects", [{}] * 20))
    show("API /api/v1/projects (no filter)", timed(client, "/api/v1/projects", [{}] * 20))
    by_kind: dict[str, list[float]] = {}
    for p in params:
        by_kind.setdefault("+".join(sorted(p)), []).extend(timed(client, "/api/v1/projects", [p]))
    for kind, times in sorted(by_kind.items()):
        show(f"  API filtered by {kind}", times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    from bench.pgcluster import Cluster

    print(f"PostgreSQL; {args.projects:,} projects; {args.requests} requests per figure")
    cluster = Cluster().start()
    try:
        admin = create_engine(cluster.url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("CREATE DATABASE bench"))
        admin.dispose()
        run(cluster.url("bench"), args)
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
