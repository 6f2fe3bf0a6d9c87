"""progress reports per reporting period

Revision ID: 0018_report_periods
Revises: 0017_indicators
Create Date: 2026-12-01 17:00:00

Each progress report belongs to one reporting period (1..n: every six months from the start,
strictly before the end). Existing reports get their period in order of filing, per award:
an accepted or submitted report takes the current period and the next report the next one;
a returned report stays on the period it was filed for (the PI files it again). Reports
beyond the last period (filed ahead before this revision) keep their number past n and their
due date. The schedule is written out here (a revision never imports application code).
"""

from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from alembic import op

revision: str = "0018_report_periods"
down_revision: str | Sequence[str] | None = "0017_indicators"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE_REPORT = "status IN ('submitted', 'accepted')"
REPORT = sa.table(
    "progress_report",
    sa.column("id", sa.Integer),
    sa.column("period", sa.Integer),
    sa.column("due_date", sa.Date),
)


def _add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    for d in (day.day, 30, 29, 28):
        try:
            return date(day.year + year, month + 1, d)
        except ValueError:
            continue
    raise ValueError("unreachable")


def _due_dates(start: date, end: date) -> list[date]:
    dues, n = [], 1
    while (due := _add_months(start, 6 * n)) < end:
        dues.append(due)
        n += 1
    return dues


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _assign_periods(conn) -> None:
    awards = conn.execute(sa.text("SELECT id, start_date, end_date FROM award")).all()
    for award_id, start, end in awards:
        dues = _due_dates(_as_date(start), _as_date(end))
        period = 1
        for report_id, status, due in conn.execute(
            sa.text(
                "SELECT id, status, due_date FROM progress_report WHERE award_id = :a "
                "ORDER BY submitted_at, id"
            ),
            {"a": award_id},
        ).all():
            new_due = dues[period - 1] if period <= len(dues) else _as_date(due)
            conn.execute(
                REPORT.update()
                .where(REPORT.c.id == report_id)
                .values(period=period, due_date=new_due)
            )
            if status in ("accepted", "submitted"):
                period += 1


def upgrade() -> None:
    with op.batch_alter_table("progress_report", schema=None) as batch_op:
        batch_op.add_column(sa.Column("period", sa.Integer(), nullable=True))
    _assign_periods(op.get_bind())
    with op.batch_alter_table("progress_report", schema=None) as batch_op:
        batch_op.alter_column("period", existing_type=sa.Integer(), nullable=False)
        batch_op.create_check_constraint("ck_progress_report_period", "period >= 1")
        batch_op.create_index(
            "uq_progress_report_live_period",
            ["award_id", "period"],
            unique=True,
            sqlite_where=sa.text(LIVE_REPORT),
            postgresql_where=sa.text(LIVE_REPORT),
        )


def downgrade() -> None:
    with op.batch_alter_table("progress_report", schema=None) as batch_op:
        batch_op.drop_index("uq_progress_report_live_period")
        batch_op.drop_constraint("ck_progress_report_period", type_="check")
        batch_op.drop_column("period")
