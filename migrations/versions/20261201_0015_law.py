"""the law as dated data: legal instruments, settings, dated rules, budget estimates

Revision ID: 0015_law
Revises: 0014_state_checks
Create Date: 2026-12-01 17:00:00

Legal instruments become rows (a copy of funds/data/legal_instruments.csv as shipped when this
revision was written; a revision imports no application code). Every compliance rule and
every strategic-technology group points to its instrument and carries its effective range:
the 3% and 15% floors of Resolution 57-NQ/TW apply from fiscal year 2025, the 2% floor of the
Law on Science and Technology 2013 Art. 49 up to 2024, and "rising year by year" becomes an
indicator. The ledger-based non-state share is removed: the 60% target is about national R&D
spending (GERD) by source, now imported as national statistics.
"""

import csv
import io

# ruff: noqa: E501  (the instruments table is kept as the CSV it copies)
from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from alembic import op

revision: str = "0015_law"
down_revision: str | Sequence[str] | None = "0014_state_checks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INSTRUMENTS_CSV = """code,number,kind,title_vi,title_en,issuer,issued_on,effective_from,effective_to,supersedes,certainty,note
law-29-2013-qh13,29/2013/QH13,law,Luật Khoa học và Công nghệ,Law on Science and Technology,Quốc hội (National Assembly),2013-06-18,2014-01-01,2025-09-30,,S,"Art. 49(1): state budget for science and technology at least 2% of total state budget expenditure, rising; Art. 37 acceptance evaluation"
circular-93-2006-ttlt-btc-bkhcn,93/2006/TTLT-BTC-BKHCN,circular,"Thông tư liên tịch hướng dẫn chế độ khoán kinh phí của đề tài, dự án khoa học và công nghệ sử dụng ngân sách nhà nước",Joint circular on lump-sum funding of state-funded S&T tasks,Bộ Tài chính – Bộ Khoa học và Công nghệ,2006-10-04,2006-11-03,2016-02-14,,V,"Unfinished lump-sum tasks: at least 30% of the funds used for subjective causes, at most 10% for objective ones, shared between host and PI; dates to verify"
decree-95-2014-nd-cp,95/2014/NĐ-CP,decree,Nghị định quy định về đầu tư và cơ chế tài chính đối với hoạt động khoa học và công nghệ,Decree on investment in and financial mechanisms for S&T activities,Chính phủ (Government),2014-10-17,2014-12-01,,,P,Lump-sum tasks keep the savings of a task accepted as passing
circular-27-2015-ttlt-bkhcn-btc,27/2015/TTLT-BKHCN-BTC,circular,Thông tư liên tịch quy định khoán chi thực hiện nhiệm vụ khoa học và công nghệ sử dụng ngân sách nhà nước,Joint circular on lump-sum spending for state-funded S&T tasks,Bộ Khoa học và Công nghệ – Bộ Tài chính,2015-12-30,2016-02-15,,circular-93-2006-ttlt-btc-bkhcn,P,"Incomplete tasks refund all or part of the funds used depending on the cause; use of savings; dates to verify"
circular-20-2023-tt-bkhcn,20/2023/TT-BKHCN,circular,Thông tư quy định tuyển chọn giao trực tiếp tổ chức và cá nhân thực hiện nhiệm vụ khoa học và công nghệ cấp quốc gia,Circular on selecting organisations and individuals for national S&T tasks,Bộ Khoa học và Công nghệ (MOST),2023-11-27,2023-11-27,,,S,Selection councils of 7–9 members with two reviewer members; scoring by criteria groups
res-57-nq-tw,57-NQ/TW,resolution,Nghị quyết về đột phá phát triển khoa học công nghệ đổi mới sáng tạo và chuyển đổi số quốc gia,Resolution on breakthroughs in science and technology innovation and national digital transformation,Bộ Chính trị (Politburo),2024-12-22,2024-12-22,,,S,"§III.3: at least 3% of total state budget expenditure to S&T, innovation and digital transformation, rising; at least 15% of the state budget for science to strategic-technology research; first budget year 2025. §II targets: R&D 2% of GDP, over 60% non-state; patents +16–18% a year, 8–10% exploited; international publications +10% a year"
res-03-nq-cp-2025,03/NQ-CP,resolution,Nghị quyết ban hành Chương trình hành động thực hiện Nghị quyết 57-NQ/TW,Government action programme for Resolution 57-NQ/TW,Chính phủ (Government),2025-01-09,2025-01-09,,,S,Action programme for Resolution 57-NQ/TW
res-193-2025-qh15,193/2025/QH15,resolution,Nghị quyết thí điểm một số cơ chế chính sách đặc biệt tạo đột phá phát triển khoa học công nghệ đổi mới sáng tạo và chuyển đổi số quốc gia,Resolution piloting special mechanisms for S&T innovation and digital transformation,Quốc hội (National Assembly),2025-02-19,2025-02-19,,,S,"Art. 4: a task that followed procedure and did not reach its expected results does not refund the funds used (the unused balance returns); lump sum to final product; in force on passage"
decree-88-2025-nd-cp,88/2025/NĐ-CP,decree,Nghị định hướng dẫn Nghị quyết 193/2025/QH15,Decree guiding Resolution 193/2025/QH15,Chính phủ (Government),2025-04-13,2025-04-13,,,S,Procedure and evidence for the risk-acceptance exemption of Resolution 193
decision-1131-qd-ttg-2025,1131/QĐ-TTg,decision,Quyết định ban hành Danh mục công nghệ chiến lược và sản phẩm công nghệ chiến lược,Decision issuing the list of strategic technologies and strategic technology products,Thủ tướng Chính phủ (Prime Minister),2025-06-12,2025-06-12,,,S,"The strategic-technology list (groups and product lines); groups 8–11 differ between press lists, to verify"
law-93-2025-qh15,93/2025/QH15,law,"Luật Khoa học, Công nghệ và Đổi mới sáng tạo","Law on Science, Technology and Innovation",Quốc hội (National Assembly),2025-06-27,2025-10-01,,law-29-2013-qh13,S,"Art. 9 risk acceptance: exemption when procedure was followed, without fraud or intentional breach, and funds used within the approved purpose and scope; financial provisions from 1 Jul 2025"
decree-265-2025-nd-cp,265/2025/NĐ-CP,decree,Nghị định quy định về tài chính và đầu tư cho khoa học công nghệ và đổi mới sáng tạo,Decree on finance of S&T and innovation tasks,Chính phủ (Government),2025-10-14,2025-10-14,,,P,"Lump sums, savings and overheads after Law 93; content to verify"
law-91-2025-qh15,91/2025/QH15,law,Luật Bảo vệ dữ liệu cá nhân,Law on Personal Data Protection,Quốc hội (National Assembly),2025-06-26,2026-01-01,,,S,"Explicit consent, access, correction, deletion and withdrawal"
"""

R57 = "Resolution 57-NQ/TW (22/12/2024) §III.3"
RULES = [  # id, kind, metric, threshold, from, to, instrument, article, source, description
    (
        "st_share_of_state_budget_2013",
        "floor",
        "st_share",
        "0.02",
        None,
        2024,
        "law-29-2013-qh13",
        "Art. 49(1)",
        "Law on Science and Technology 29/2013/QH13 Art. 49(1): the state budget for science "
        "and technology is at least 2% of total state budget expenditure",
        "State S&T appropriation ÷ total state budget expenditure",
    ),
    (
        "st_share_of_state_budget",
        "floor",
        "stidx_share",
        "0.03",
        2025,
        None,
        "res-57-nq-tw",
        "§III.3",
        f"{R57}: at least 3% of total annual state budget expenditure to science, "
        "technology, innovation and digital transformation",
        "S&T/I/DX appropriation ÷ total state budget expenditure",
    ),
    (
        "strategic_share_of_st_budget",
        "floor",
        "strategic_share",
        "0.15",
        2025,
        None,
        "res-57-nq-tw",
        "§III.3",
        f"{R57}; Resolution 03/NQ-CP (2025): at least 15% of the state budget for science to "
        "strategic-technology research",
        "State-source strategic-technology amounts ÷ the state S&T budget (base: a setting)",
    ),
    (
        "st_share_rising",
        "indicator",
        "st_share_rising",
        None,
        None,
        None,
        "res-57-nq-tw",
        "§III.3",
        "Law 29/2013/QH13 Art. 49(1) and Resolution 57-NQ/TW §III.3: the share rises year by "
        "year (an indicator, not a floor)",
        "The year's share ÷ total expenditure against the previous year's share of the same "
        "measure (S&T alone up to 2024, S&T/I/DX from 2025)",
    ),
]


def upgrade() -> None:
    instrument = op.create_table(
        "legal_instrument",
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("number", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title_vi", sa.String(length=500), nullable=False),
        sa.Column("title_en", sa.String(length=500), nullable=False),
        sa.Column("issuer", sa.String(length=200), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("effective_to", sa.Date(), nullable=True),
        sa.Column("supersedes", sa.String(length=60), nullable=True),
        sa.Column("certainty", sa.String(length=1), nullable=False),
        sa.Column("note", sa.String(length=2000), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "effective_to IS NULL OR effective_to >= effective_from",
            name="ck_legal_instrument_range",
        ),
        sa.CheckConstraint("certainty IN ('S', 'P', 'V')", name="ck_legal_instrument_certainty"),
        sa.ForeignKeyConstraint(["supersedes"], ["legal_instrument.code"]),
        sa.ForeignKeyConstraint(["updated_by"], ["user.id"]),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "legal_instrument_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instrument_code", sa.String(length=60), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("snapshot", sa.String(length=8000), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=1000), nullable=False),
        sa.ForeignKeyConstraint(["changed_by"], ["user.id"]),
        sa.ForeignKeyConstraint(["instrument_code"], ["legal_instrument.code"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("instrument_code", "version"),
    )
    with op.batch_alter_table("legal_instrument_version", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_legal_instrument_version_instrument_code"),
            ["instrument_code"],
            unique=False,
        )
    op.create_table(
        "legal_setting",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.String(length=2000), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["updated_by"], ["user.id"]),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "budget_estimate",
        sa.Column("fiscal_year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.String(length=12), nullable=False),
        sa.Column("total_state_budget_vnd", sa.BigInteger(), nullable=False),
        sa.Column("stidx_budget_vnd", sa.BigInteger(), nullable=False),
        sa.Column("st_budget_vnd", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("version IN ('revised', 'final')", name="ck_budget_estimate_version"),
        sa.CheckConstraint(
            "total_state_budget_vnd >= 0 AND stidx_budget_vnd >= 0 AND st_budget_vnd >= 0",
            name="ck_budget_estimate_nonnegative",
        ),
        sa.PrimaryKeyConstraint("fiscal_year", "version"),
    )
    op.create_table(
        "national_statistics",
        sa.Column("fiscal_year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("gdp_vnd", sa.BigInteger(), nullable=False),
        sa.Column("gerd_state_vnd", sa.BigInteger(), nullable=False),
        sa.Column("gerd_nonstate_vnd", sa.BigInteger(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "gdp_vnd >= 0 AND gerd_state_vnd >= 0 AND gerd_nonstate_vnd >= 0",
            name="ck_national_statistics_nonnegative",
        ),
        sa.PrimaryKeyConstraint("fiscal_year"),
    )
    stamp = _now()
    rows = []
    for r in csv.DictReader(io.StringIO(INSTRUMENTS_CSV)):
        rows.append(
            dict(
                code=r["code"],
                number=r["number"],
                kind=r["kind"],
                title_vi=r["title_vi"],
                title_en=r["title_en"],
                issuer=r["issuer"],
                issued_on=date.fromisoformat(r["issued_on"]),
                effective_from=date.fromisoformat(r["effective_from"]),
                effective_to=date.fromisoformat(r["effective_to"]) if r["effective_to"] else None,
                supersedes=None,
                certainty=r["certainty"],
                note=r["note"],
                version=1,
                updated_at=stamp,
            )
        )
    op.bulk_insert(instrument, rows)
    conn = op.get_bind()
    for r in csv.DictReader(io.StringIO(INSTRUMENTS_CSV)):
        if r["supersedes"]:
            conn.execute(
                sa.text("UPDATE legal_instrument SET supersedes = :s WHERE code = :c"),
                {"s": r["supersedes"], "c": r["code"]},
            )

    with op.batch_alter_table("compliance_rule", schema=None) as batch_op:
        batch_op.add_column(sa.Column("instrument_code", sa.String(length=60), nullable=True))
        batch_op.add_column(
            sa.Column("article", sa.String(length=120), nullable=False, server_default="")
        )
        batch_op.create_foreign_key(
            "fk_compliance_rule_instrument", "legal_instrument", ["instrument_code"], ["code"]
        )
    with op.batch_alter_table("compliance_rule", schema=None) as batch_op:
        batch_op.alter_column("article", server_default=None)
    with op.batch_alter_table("compliance_rule_version", schema=None) as batch_op:
        batch_op.add_column(sa.Column("instrument_code", sa.String(length=60), nullable=True))
        batch_op.add_column(
            sa.Column("article", sa.String(length=120), nullable=False, server_default="")
        )
    with op.batch_alter_table("compliance_rule_version", schema=None) as batch_op:
        batch_op.alter_column("article", server_default=None)
    with op.batch_alter_table("strategic_technology", schema=None) as batch_op:
        batch_op.add_column(sa.Column("instrument_code", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("effective_from", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("effective_to", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_strategic_technology_instrument", "legal_instrument", ["instrument_code"], ["code"]
        )
    conn.execute(
        sa.text(
            "UPDATE strategic_technology SET instrument_code = 'decision-1131-qd-ttg-2025', "
            "effective_from = 2025"
        )
    )
    _date_rules(conn, stamp)


def _now():
    from datetime import UTC, datetime

    return datetime.now(UTC)


def _date_rules(conn, stamp) -> None:
    """The rules as the law dates them: each at its next version, with its history row."""
    conn.execute(
        sa.text("DELETE FROM compliance_rule_version WHERE rule_id = 'private_share_of_rd'")
    )
    conn.execute(sa.text("DELETE FROM compliance_rule WHERE id = 'private_share_of_rd'"))
    for rid, kind, metric, threshold, start, end, code, article, source, desc in RULES:
        current = conn.execute(
            sa.text("SELECT version FROM compliance_rule WHERE id = :id"), {"id": rid}
        ).scalar()
        values = dict(
            id=rid,
            kind=kind,
            metric=metric,
            threshold=threshold,
            start=start,
            end=end,
            code=code,
            article=article,
            source=source,
            desc=desc,
            at=stamp,
        )
        if current is None:
            version = 1
            conn.execute(
                sa.text(
                    "INSERT INTO compliance_rule (id, kind, metric, threshold, strict, "
                    "effective_from, effective_to, source, instrument_code, article, "
                    "description, version, updated_at) VALUES (:id, :kind, :metric, "
                    ":threshold, false, :start, :end, :source, :code, :article, :desc, 1, :at)"
                ),
                values,
            )
        else:
            version = current + 1
            conn.execute(
                sa.text(
                    "UPDATE compliance_rule SET kind = :kind, metric = :metric, "
                    "threshold = :threshold, effective_from = :start, effective_to = :end, "
                    "source = :source, instrument_code = :code, article = :article, "
                    "description = :desc, version = :version, updated_at = :at WHERE id = :id"
                ),
                dict(values, version=version),
            )
        conn.execute(
            sa.text(
                "INSERT INTO compliance_rule_version (rule_id, version, threshold, strict, "
                "effective_from, effective_to, source, instrument_code, article, changed_at, "
                "note) VALUES (:id, :version, :threshold, false, :start, :end, :source, :code, "
                ":article, :at, :note)"
            ),
            dict(values, version=version, note="dated by its legal instrument (0015_law)"),
        )


def downgrade() -> None:
    conn = op.get_bind()
    conn.execute(
        sa.text(
            "DELETE FROM compliance_rule_version WHERE rule_id = 'st_share_of_state_budget_2013'"
        )
    )
    conn.execute(sa.text("DELETE FROM compliance_rule WHERE id = 'st_share_of_state_budget_2013'"))
    with op.batch_alter_table("strategic_technology", schema=None) as batch_op:
        batch_op.drop_constraint("fk_strategic_technology_instrument", type_="foreignkey")
        batch_op.drop_column("effective_to")
        batch_op.drop_column("effective_from")
        batch_op.drop_column("instrument_code")
    with op.batch_alter_table("compliance_rule_version", schema=None) as batch_op:
        batch_op.drop_column("article")
        batch_op.drop_column("instrument_code")
    with op.batch_alter_table("compliance_rule", schema=None) as batch_op:
        batch_op.drop_constraint("fk_compliance_rule_instrument", type_="foreignkey")
        batch_op.drop_column("article")
        batch_op.drop_column("instrument_code")
    op.drop_table("national_statistics")
    op.drop_table("budget_estimate")
    op.drop_table("legal_setting")
    with op.batch_alter_table("legal_instrument_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_legal_instrument_version_instrument_code"))
    op.drop_table("legal_instrument_version")
    op.drop_table("legal_instrument")
