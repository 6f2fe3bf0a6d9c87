"""The benchmark's database: a durable private PostgreSQL, seed data, and the final checks."""

import json
import subprocess
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import create_engine, text
from sqlmodel import Session, select

from bench.pgcluster import Cluster, _as_postgres, _free_port

PASSWORD = "bench-password-long-enough"


class DurableCluster(Cluster):
    """Like the test cluster, but with PostgreSQL's durable defaults (fsync, synchronous
    commit, full page writes): a benchmark should pay what production pays."""

    def start(self) -> "DurableCluster":
        subprocess.run(
            _as_postgres(
                [
                    str(self.bin / "initdb"),
                    "-D",
                    str(self.data),
                    "-U",
                    "rdfund",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                ]
            ),
            check=True,
            capture_output=True,
        )
        self.port = _free_port()
        opts = (
            f"-p {self.port} -k {self.sock} -c listen_addresses=127.0.0.1 "
            "-c max_connections=300 -c shared_buffers=256MB"
        )
        subprocess.run(
            _as_postgres(
                [
                    str(self.bin / "pg_ctl"),
                    "-D",
                    str(self.data),
                    "-o",
                    opts,
                    "-l",
                    str(self.root / "log"),
                    "-w",
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
        )
        return self

    @staticmethod
    def free_port() -> int:
        return _free_port()


def durable_cluster() -> DurableCluster:
    return DurableCluster().start()


@dataclass
class Seeded:
    url: str
    call_id: int
    password: str = PASSWORD
    people: list = field(default_factory=list)

    def set_deadline(self, *, seconds_from_now: float) -> None:
        """Move the call's closing instant (server time) to just ahead: the last minute."""
        from funds.calls.models import Call
        from funds.clock import utcnow

        engine = create_engine(self.url)
        with Session(engine) as s:
            call = s.get(Call, self.call_id)
            call.closes_at = utcnow() + timedelta(seconds=seconds_from_now)
            s.add(call)
            s.commit()
        engine.dispose()


def _complete_draft(year: int) -> dict:
    """Everything the call asks for beyond the title, so each draft can be submitted."""
    return {
        "title_en": "Semiconductor chip research",
        "keywords": "chip; bán dẫn",
        "trl_now": 3,
        "trl_target": 6,
        "duration_months": 24,
        "work_packages": [
            {"owner": "PI", "task": "Thiết kế", "due_month": 6, "deliverable": "Bản thiết kế"}
        ],
        "budget_lines": [("personnel", year, 1_000_000_000)],
    }


def seed(cluster: DurableCluster, url: str, n: int, *, window: float) -> Seeded:
    """Accounts, a fund, a call and one complete draft per applicant, through the services."""
    from funds.accounts import services as accounts
    from funds.calls.services import create_call, create_fund
    from funds.clock import utcnow
    from funds.proposals.services import create_draft
    from portal.cli import upgrade_database

    admin = create_engine(cluster.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text('CREATE DATABASE "rdfund"'))
    admin.dispose()
    upgrade_database(url)
    # bench-only: cheap password hashes so 1,000 sign-ins measure the portal, not argon2
    from funds.accounts import passwords

    passwords.settings.update(time_cost=1, memory_cost=1024)
    engine = create_engine(url)
    with Session(engine, expire_on_commit=False) as s:
        manager = accounts.create_user(
            s,
            actor=None,
            email="manager@bench.example",
            name="Quản lý",
            password=PASSWORD,
            roles=["manager"],
        )
        fund = create_fund(s, actor=manager, code="BENCH", name="Quỹ thử tải")
        now = utcnow()
        call = create_call(
            s,
            actor=manager,
            fund_id=fund.id,
            title="Đợt gọi thử tải",
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=1),
            ceiling_vnd=2_000_000_000,
            budget_vnd=10**13,
        )
        seeded = Seeded(url=url, call_id=call.id)
        for i in range(n):
            email = f"pi{i:04d}@bench.example"
            pi = accounts.create_user(
                s,
                actor=None,
                email=email,
                name=f"Nhà khoa học {i}",
                password=PASSWORD,
                roles=["applicant"],
            )
            p = create_draft(
                s,
                actor=pi,
                call_id=call.id,
                title=f"Đề tài số {i}: vi mạch",
                **_complete_draft(utcnow().year),
            )
            seeded.people.append((email, p.id))
            if i % 200 == 199:
                s.commit()
        s.commit()
    engine.dispose()
    settle(url)
    return seeded


def settle(url: str) -> None:
    """VACUUM ANALYZE after the bulk load, as an operator would: autovacuum would otherwise
    run in the middle of the measurements and compete with them for the two cores."""
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("VACUUM ANALYZE"))
    admin.dispose()


def check_database(url: str, on_time, late) -> dict:
    """Every on-time proposal submitted once with its last saved text; every late one not."""
    from funds.proposals.models import Proposal, Submission

    engine = create_engine(url)
    problems = {
        "duplicated": 0,
        "lost_after_receipt": 0,
        "refused_queued_past_deadline": 0,
        "wrong_content": 0,
        "late_accepted": 0,
        "draft_lost": 0,
        "client_receipt_mismatch": 0,
    }
    with Session(engine) as s:
        subs: dict[int, list] = {}
        for sub in s.exec(select(Submission)):
            subs.setdefault(sub.proposal_id, []).append(sub)
        for a in on_time:
            rows = subs.get(a.proposal_id, [])
            problems["duplicated"] += len(rows) > 1
            problems["lost_after_receipt"] += bool(not rows and a.receipts)
            problems["refused_queued_past_deadline"] += bool(not rows and not a.receipts)
            if rows and json.loads(rows[0].snapshot)["proposal"]["abstract"] != a.last_saved:
                problems["wrong_content"] += 1
            if rows and len(set(a.receipts)) != 1:
                problems["client_receipt_mismatch"] += 1
        for a in late:
            problems["late_accepted"] += bool(subs.get(a.proposal_id))
        for a in list(on_time) + list(late):
            problems["draft_lost"] += s.get(Proposal, a.proposal_id).abstract != a.last_saved
        late_refused = sum(a.refused > 0 and not a.receipts for a in late)
    engine.dispose()
    once = sum(len(subs.get(a.proposal_id, [])) == 1 for a in on_time)
    return {
        **problems,
        "on_time_submitted_once": f"{once}/{len(on_time)}",
        "late_refused": f"{late_refused}/{len(late)}",
        "ok": not any(problems.values()) and late_refused == len(late),
    }
