"""closeout regimes as dated data

Revision ID: 0016_closeout
Revises: 0015_law
Create Date: 2026-12-01 17:00:00

Closeout regimes become rows pointing to their legal instruments, each with the range of
contract dates it governs (legacy up to 18 Feb 2025; Resolution 193/2025/QH15 Art. 4 from
19 Feb 2025; Law 93/2025/QH15 Art. 9 from 1 Oct 2025). Every award gets the regime of its
contract date with its legal basis (and room for a manager's transitional override with its
reason). The four conditions of a closeout become answers (yes / no / not_assessed) instead of
booleans; the closeout records the regime it closed under, the failure cause (legacy), the
amount used outside the approved purpose or scope with its evidence, the council's conclusion,
the host/PI split of a legacy refund, the savings a lump-sum task keeps, and whether a
liability case was opened. The free-text quality indicators of existing awards are copied into
one structured row each (the text stays on the award as a legacy note). The values here are a
copy as of this revision; a revision imports no application code.
"""

from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from alembic import op

revision: str = "0016_closeout"
down_revision: str | Sequence[str] | None = "0015_law"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CONDITIONS = ("procedures_followed", "no_fraud", "no_intentional_breach", "funds_within_purpose")
ANSWERS = "('yes', 'no', 'not_assessed')"

# code, instrument, related instrument, article, from, to, basis (as funds.projects.regimes
# words it), description
REGIMES = [
    (
        "legacy",
        "circular-27-2015-ttlt-bkhcn-btc",
        "circular-93-2006-ttlt-btc-bkhcn",
        "(unfinished tasks: refund by cause)",
        date(2006, 11, 3),
        date(2025, 2, 18),
        "Circular 27/2015/TTLT-BKHCN-BTC (unfinished tasks: refund by cause); "
        "Circular 93/2006/TTLT-BTC-BKHCN",
        "Contracts signed up to 18 Feb 2025: a failed task returns the unused balance and a "
        "share of the funds used by cause, at most 10% for an objective cause and at least 30% "
        "for a subjective one, shared between the host organisation and the PI.",
    ),
    (
        "res193",
        "res-193-2025-qh15",
        "decree-88-2025-nd-cp",
        "Art. 4",
        date(2025, 2, 19),
        date(2025, 9, 30),
        "Resolution 193/2025/QH15 Art. 4; Decree 88/2025/NĐ-CP",
        "Contracts from 19 Feb 2025 (in force on passage): a task that followed procedure and "
        "failed returns only its unused balance, with no liability.",
    ),
    (
        "law93",
        "law-93-2025-qh15",
        None,
        "Art. 9",
        date(2025, 10, 1),
        None,
        "Law 93/2025/QH15 Art. 9",
        "Contracts from 1 Oct 2025: risk acceptance when procedure was followed, without fraud "
        "or intentional breach, and funds were used within the approved purpose and scope.",
    ),
]


def upgrade() -> None:
    regime = op.create_table(
        "closeout_regime",
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("instrument_code", sa.String(length=60), nullable=False),
        sa.Column("related_instrument_code", sa.String(length=60), nullable=True),
        sa.Column("article", sa.String(length=200), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("effective_to", sa.Date(), nullable=True),
        sa.Column("description", sa.String(length=1000), nullable=False),
        sa.CheckConstraint(
            "effective_to IS NULL OR effective_to >= effective_from",
            name="ck_closeout_regime_range",
        ),
        sa.ForeignKeyConstraint(["instrument_code"], ["legal_instrument.code"]),
        sa.ForeignKeyConstraint(["related_instrument_code"], ["legal_instrument.code"]),
        sa.PrimaryKeyConstraint("code"),
    )
    op.bulk_insert(
        regime,
        [
            dict(
                code=code,
                instrument_code=instrument,
                related_instrument_code=related,
                article=article,
                effective_from=start,
                effective_to=end,
                description=description,
            )
            for code, instrument, related, article, start, end, _basis, description in REGIMES
        ],
    )
    op.create_table(
        "award_quality_indicator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("award_id", sa.Integer(), nullable=False),
        sa.Column("product", sa.String(length=500), nullable=False),
        sa.Column("name", sa.String(length=1000), nullable=False),
        sa.Column("target", sa.String(length=100), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column("met", sa.Boolean(), nullable=True),
        sa.Column("measured", sa.String(length=200), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["award_id"], ["award.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("award_quality_indicator", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_award_quality_indicator_award_id"), ["award_id"], unique=False
        )
    _awards()
    _closeouts()


def _awards() -> None:
    conn = op.get_bind()
    with op.batch_alter_table("award", schema=None) as batch_op:
        batch_op.add_column(sa.Column("regime_code", sa.String(length=20), nullable=True))
        batch_op.add_column(
            sa.Column("regime_basis", sa.String(length=500), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column(
                "regime_override_reason",
                sa.String(length=2000),
                nullable=False,
                server_default="",
            )
        )
    for code, _i, _r, _a, start, end, basis, _d in REGIMES:
        conn.execute(
            sa.text(
                "UPDATE award SET regime_code = :code, regime_basis = :basis "
                "WHERE contract_date >= :start AND (:open_end OR contract_date <= :end)"
            ),
            dict(code=code, basis=basis, start=start, end=end or start, open_end=end is None),
        )
    conn.execute(  # a contract older than any regime is closed by the earlier rules
        sa.text(
            "UPDATE award SET regime_code = 'legacy', regime_basis = :basis "
            "WHERE regime_code IS NULL"
        ),
        dict(basis=REGIMES[0][6]),
    )
    with op.batch_alter_table("award", schema=None) as batch_op:
        batch_op.alter_column("regime_code", existing_type=sa.String(length=20), nullable=False)
        batch_op.alter_column("regime_basis", server_default=None)
        batch_op.alter_column("regime_override_reason", server_default=None)
        batch_op.create_foreign_key(
            "fk_award_closeout_regime", "closeout_regime", ["regime_code"], ["code"]
        )
    conn.execute(
        sa.text(
            "INSERT INTO award_quality_indicator (award_id, product, name, target, unit, "
            "measured) SELECT id, '', substr(quality_indicators, 1, 1000), '', '', '' "
            "FROM award WHERE quality_indicators <> ''"
        )
    )


def _closeouts() -> None:
    conn = op.get_bind()
    with op.batch_alter_table("closeout", schema=None) as batch_op:
        for name in CONDITIONS:
            batch_op.add_column(sa.Column(f"{name}_answer", sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column("failure_cause", sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column("outside_purpose_vnd", sa.BigInteger(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "outside_purpose_evidence",
                sa.String(length=5000),
                nullable=False,
                server_default="",
            )
        )
        batch_op.add_column(
            sa.Column("conclusion", sa.String(length=5000), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("regime_code", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("host_refund_vnd", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("pi_refund_vnd", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("savings_vnd", sa.BigInteger(), nullable=True))
        batch_op.add_column(
            sa.Column("liability_case", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column(
                "mark_against_future", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
    for name in CONDITIONS:
        conn.execute(
            sa.text(
                f"UPDATE closeout SET {name}_answer = "
                f"CASE WHEN {name} THEN 'yes' WHEN NOT {name} THEN 'no' END"
            )
        )
    conn.execute(
        sa.text(
            "UPDATE closeout SET regime_code = (SELECT regime_code FROM award "
            "WHERE award.id = closeout.award_id) WHERE closed_at IS NOT NULL"
        )
    )
    conn.execute(
        sa.text(
            "UPDATE closeout SET liability_case = true, mark_against_future = true "
            "WHERE outcome = 'noncompliant_failure'"
        )
    )
    with op.batch_alter_table("closeout", schema=None) as batch_op:
        for name in CONDITIONS:
            batch_op.drop_column(name)
    with op.batch_alter_table("closeout", schema=None) as batch_op:
        for name in CONDITIONS:
            batch_op.alter_column(
                f"{name}_answer", new_column_name=name, existing_type=sa.String(length=12)
            )
        for name in ("outside_purpose_evidence", "conclusion", "liability_case"):
            batch_op.alter_column(name, server_default=None)
        batch_op.alter_column("mark_against_future", server_default=None)
    with op.batch_alter_table("closeout", schema=None) as batch_op:
        for name in CONDITIONS:
            batch_op.create_check_constraint(
                f"ck_closeout_{name}", f"{name} IS NULL OR {name} IN {ANSWERS}"
            )
        batch_op.create_check_constraint(
            "ck_closeout_failure_cause",
            "failure_cause IS NULL OR failure_cause IN ('objective', 'subjective')",
        )
        batch_op.create_check_constraint(
            "ck_closeout_refund_split",
            "host_refund_vnd IS NULL OR host_refund_vnd + pi_refund_vnd = refund_vnd",
        )


def downgrade() -> None:
    conn = op.get_bind()
    with op.batch_alter_table("closeout", schema=None) as batch_op:
        for name in CONDITIONS:
            batch_op.drop_constraint(f"ck_closeout_{name}", type_="check")
        batch_op.drop_constraint("ck_closeout_failure_cause", type_="check")
        batch_op.drop_constraint("ck_closeout_refund_split", type_="check")
        for name in CONDITIONS:
            batch_op.add_column(sa.Column(f"{name}_flag", sa.Boolean(), nullable=True))
    for name in CONDITIONS:
        conn.execute(
            sa.text(
                f"UPDATE closeout SET {name}_flag = "
                f"CASE WHEN {name} = 'yes' THEN true WHEN {name} = 'no' THEN false END"
            )
        )
    with op.batch_alter_table("closeout", schema=None) as batch_op:
        for name in CONDITIONS:
            batch_op.drop_column(name)
        for name in (
            "failure_cause",
            "outside_purpose_vnd",
            "outside_purpose_evidence",
            "conclusion",
            "regime_code",
            "host_refund_vnd",
            "pi_refund_vnd",
            "savings_vnd",
            "liability_case",
            "mark_against_future",
        ):
            batch_op.drop_column(name)
    with op.batch_alter_table("closeout", schema=None) as batch_op:
        for name in CONDITIONS:
            batch_op.alter_column(f"{name}_flag", new_column_name=name, existing_type=sa.Boolean())
    with op.batch_alter_table("award", schema=None) as batch_op:
        batch_op.drop_constraint("fk_award_closeout_regime", type_="foreignkey")
        batch_op.drop_column("regime_override_reason")
        batch_op.drop_column("regime_basis")
        batch_op.drop_column("regime_code")
    with op.batch_alter_table("award_quality_indicator", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_award_quality_indicator_award_id"))
    op.drop_table("award_quality_indicator")
    op.drop_table("closeout_regime")
