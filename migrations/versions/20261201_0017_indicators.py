"""indicators (exploitations linked to patents, counterpart funds)

Revision ID: 0017_indicators
Revises: 0016_closeout
Create Date: 2026-12-01 17:00:00

An exploitation output (licence, transfer, spin-off, own production) names the granted patent
it exploits (`output.exploits_output_id`), so the commercialisation rate of Resolution
57-NQ/TW §II counts exploited patents, not exploitation rows. A proposal's counterpart funding
gets the fiscal year it is spent in (`counterpart_funding.fiscal_year`, empty: the project's
first year), so an award carries non-state money into the ledger by year.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017_indicators"
down_revision: str | Sequence[str] | None = "0016_closeout"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("output", schema=None) as batch_op:
        batch_op.add_column(sa.Column("exploits_output_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_output_exploits_output_id"), ["exploits_output_id"], unique=False
        )
        batch_op.create_foreign_key(
            "fk_output_exploits_output_id_output", "output", ["exploits_output_id"], ["id"]
        )
    with op.batch_alter_table("counterpart_funding", schema=None) as batch_op:
        batch_op.add_column(sa.Column("fiscal_year", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("counterpart_funding", schema=None) as batch_op:
        batch_op.drop_column("fiscal_year")
    with op.batch_alter_table("output", schema=None) as batch_op:
        batch_op.drop_constraint("fk_output_exploits_output_id_output", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_output_exploits_output_id"))
        batch_op.drop_column("exploits_output_id")
