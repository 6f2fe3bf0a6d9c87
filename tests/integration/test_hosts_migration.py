"""Migration 0023 turns free-text institutions into organisations, links profiles and
proposals to them, and lists what it could not match."""

import json
from datetime import UTC, datetime

from alembic import command
from sqlalchemy import create_engine, text

from portal.cli import alembic_config

USERS = [
    (1, "Trường Đại học Bách khoa Hà Nội", "applicant"),
    (2, "ĐH Bách khoa Hà Nội", "applicant"),
    (3, "Đại học Bách khoa Hà Nội", "reviewer"),
    (4, "Viện", "applicant"),
    (5, "Viện Toán học; Đại học Cần Thơ", "applicant"),
    (6, "", "applicant"),
    (7, "Viện Hàn lâm KH&CN Việt Nam", "manager"),
]


def _seed(conn) -> None:
    for n, institution, role in USERS:
        conn.execute(
            text(
                'INSERT INTO "user" (id, email, name, institution, password_hash, locale, '
                "is_active, created_at) VALUES (:n, :email, 'Người', :inst, 'x', 'vi', true, "
                "CURRENT_TIMESTAMP)"
            ),
            {"n": n, "email": f"u{n}@example.org", "inst": institution},
        )
        conn.execute(
            text("INSERT INTO user_role (user_id, role) VALUES (:n, :role)"),
            {"n": n, "role": role},
        )
    conn.execute(
        text(
            "INSERT INTO profile (user_id, title, position, cv, updated_at) "
            "VALUES (1, 'TS.', '', '', CURRENT_TIMESTAMP)"
        )
    )
    conn.execute(
        text(
            "INSERT INTO fund (id, code, name, description, created_at) "
            "VALUES (1, 'F1', 'Quỹ', '', CURRENT_TIMESTAMP)"
        )
    )
    conn.execute(
        text(
            "INSERT INTO call (id, fund_id, title, description, open_to_all_areas, opens_at, "
            "closes_at, ceiling_vnd, budget_vnd, created_at) VALUES (1, 1, 'Đợt', '', true, "
            ":opens, :closes, 1000, 1000, :opens)"
        ),
        {"opens": datetime(2026, 1, 1, tzinfo=UTC), "closes": datetime(2026, 2, 1, tzinfo=UTC)},
    )
    for pid, pi, status in ((1, 2, "submitted"), (2, 4, "draft")):
        conn.execute(
            text(
                "INSERT INTO proposal (id, call_id, pi_id, title, abstract, requested_vnd, status, "
                "created_at, updated_at, version_id) VALUES (:p, 1, :pi, 'Đề tài', '', 0, "
                ":status, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)"
            ),
            {"p": pid, "pi": pi, "status": status},
        )
    # proposal 1 was submitted when its PI was at the Academy
    snapshot = json.dumps({"pi": {"institution": "Viện Hàn lâm Khoa học và Công nghệ Việt Nam"}})
    conn.execute(
        text(
            "INSERT INTO submission (proposal_id, version_no, receipt_no, snapshot, sha256, "
            "status, submitted_by, submitted_at) VALUES (1, 1, 'RDF-1', :snap, 'x', 'current', "
            "2, CURRENT_TIMESTAMP)"
        ),
        {"snap": snapshot},
    )
    conn.execute(
        text(
            "INSERT INTO co_investigator (proposal_id, name, email, institution, role, "
            "effort_pct) VALUES (1, 'Cộng sự', 'c@example.org', 'Dai hoc Bach khoa Ha Noi', "
            "'', 10)"
        )
    )


def test_free_text_institutions_become_organisations_grouped_by_folded_name(database_url):
    cfg = alembic_config(database_url)
    command.downgrade(cfg, "0022_council_criteria")
    engine = create_engine(database_url)
    with engine.begin() as conn:
        _seed(conn)
    engine.dispose()
    command.upgrade(cfg, "0023_hosts")
    with engine.connect() as conn:
        hosts = dict(conn.execute(text("SELECT folded_name, id FROM host")).all())
        names = dict(conn.execute(text("SELECT folded_name, name_vi FROM host")).all())
        states = {s for (s,) in conn.execute(text("SELECT DISTINCT status FROM host"))}
        profiles = dict(conn.execute(text("SELECT user_id, host_id FROM profile")).all())
        proposals = dict(conn.execute(text("SELECT id, host_id FROM proposal")).all())
        issues = conn.execute(text("SELECT source, source_id, reason FROM host_import_issue")).all()
    engine.dispose()
    command.upgrade(cfg, "heads")
    # four spellings of one university (three accounts and a co-investigator): one organisation
    assert set(hosts) == {"bach khoa ha noi", "han lam khoa hoc cong nghe viet nam"}
    assert names["bach khoa ha noi"] == "Đại học Bách khoa Hà Nội" or names[
        "bach khoa ha noi"
    ].endswith("Bách khoa Hà Nội")
    assert states == {"imported"}
    # the existing profile is linked; the applicant without one gets one; the unmatched none
    assert profiles[1] == profiles[2] == hosts["bach khoa ha noi"]
    assert 4 not in profiles
    assert 3 not in profiles  # a reviewer without a profile is not given one
    # a submitted proposal names the institution of its submitted version
    assert proposals == {1: hosts["han lam khoa hoc cong nghe viet nam"], 2: None}
    assert sorted(issues) == [
        ("user", 4, "no distinctive name"),
        ("user", 5, "several organisations in one field"),
    ]
