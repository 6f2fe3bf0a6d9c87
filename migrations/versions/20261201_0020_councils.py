"""councils: councils and their rules, seats, meetings, agenda items, attendance, member
conflicts, rating sheets, votes (secret-ballot tallies), minutes and council decisions

Revision ID: 0020_councils
Revises: 0019_funding_line
Create Date: 2026-12-01 17:05:54
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020_councils"
down_revision: str | Sequence[str] | None = "0019_funding_line"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "council_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fund_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("min_members", sa.Integer(), nullable=False),
        sa.Column("max_members", sa.Integer(), nullable=False),
        sa.Column("required_roles", sa.String(length=200), nullable=False),
        sa.Column("quorum_num", sa.Integer(), nullable=False),
        sa.Column("quorum_den", sa.Integer(), nullable=False),
        sa.Column("quorum_needs_chair", sa.Boolean(), nullable=False),
        sa.Column("quorum_needs_secretary", sa.Boolean(), nullable=False),
        sa.Column("pass_num", sa.Integer(), nullable=False),
        sa.Column("pass_den", sa.Integer(), nullable=False),
        sa.Column("pass_strict", sa.Boolean(), nullable=False),
        sa.Column("ballot", sa.String(length=8), nullable=False),
        sa.Column("min_average_pct", sa.Integer(), nullable=True),
        sa.Column("criterion_minimums", sa.Boolean(), nullable=False),
        sa.Column("sheets_after_close", sa.Boolean(), nullable=False),
        sa.Column("term_years", sa.Integer(), nullable=False),
        sa.Column("max_consecutive_terms", sa.Integer(), nullable=False),
        sa.Column("instrument_code", sa.String(length=60), nullable=True),
        sa.Column("article", sa.String(length=120), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.CheckConstraint("ballot IN ('secret', 'open')", name="ck_council_rules_ballot"),
        sa.CheckConstraint(
            "kind IN ('selection', 'midterm', 'acceptance', 'standing')",
            name="ck_council_rules_kind",
        ),
        sa.CheckConstraint(
            "min_members >= 1 AND max_members >= min_members", name="ck_council_rules_size"
        ),
        sa.CheckConstraint(
            "quorum_den > 0 AND quorum_num > 0 AND quorum_num <= quorum_den AND pass_den > 0"
            " AND pass_num > 0 AND pass_num <= pass_den",
            name="ck_council_rules_fractions",
        ),
        sa.ForeignKeyConstraint(
            ["fund_id"],
            ["fund.id"],
        ),
        sa.ForeignKeyConstraint(
            ["instrument_code"],
            ["legal_instrument.code"],
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("fund_id", "kind"),
    )
    with op.batch_alter_table("council_rules", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_council_rules_fund_id"), ["fund_id"], unique=False)

    op.create_table(
        "council",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fund_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=True),
        sa.Column("award_id", sa.Integer(), nullable=True),
        sa.Column("discipline", sa.String(length=200), nullable=False),
        sa.Column("formed_by", sa.String(length=200), nullable=False),
        sa.Column("formed_on", sa.Date(), nullable=True),
        sa.Column("instrument_code", sa.String(length=60), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(kind = 'selection' AND call_id IS NOT NULL) OR "
            "(kind IN ('midterm', 'acceptance') AND award_id IS NOT NULL) OR "
            "(kind = 'standing' AND discipline <> '')",
            name="ck_council_subject",
        ),
        sa.CheckConstraint(
            "kind IN ('selection', 'midterm', 'acceptance', 'standing')", name="ck_council_kind"
        ),
        sa.CheckConstraint(
            "status IN ('forming', 'active', 'dissolved')", name="ck_council_status"
        ),
        sa.ForeignKeyConstraint(
            ["award_id"],
            ["award.id"],
        ),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["call.id"],
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["fund_id"],
            ["fund.id"],
        ),
        sa.ForeignKeyConstraint(
            ["instrument_code"],
            ["legal_instrument.code"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("council", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_council_award_id"), ["award_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_council_call_id"), ["call_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_council_fund_id"), ["fund_id"], unique=False)

    op.create_table(
        "council_seat",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("represents", sa.String(length=16), nullable=False),
        sa.Column("term_start", sa.Date(), nullable=True),
        sa.Column("term_end", sa.Date(), nullable=True),
        sa.Column("eligibility_override", sa.String(length=2000), nullable=False),
        sa.Column("confidentiality_accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("appointed_by", sa.Integer(), nullable=False),
        sa.Column("appointed_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "represents IN ('none', 'ordering_body', 'enterprise')",
            name="ck_council_seat_represents",
        ),
        sa.CheckConstraint(
            "role IN ('chair', 'vice_chair', 'secretary', 'reviewer_member', 'member')",
            name="ck_council_seat_role",
        ),
        sa.CheckConstraint(
            "term_end IS NULL OR term_start IS NULL OR term_end > term_start",
            name="ck_council_seat_term",
        ),
        sa.ForeignKeyConstraint(
            ["appointed_by"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["council_id"],
            ["council.id"],
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("council_id", "user_id"),
    )
    with op.batch_alter_table("council_seat", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_council_seat_council_id"), ["council_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_council_seat_user_id"), ["user_id"], unique=False)

    op.create_table(
        "meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("mode", sa.String(length=12), nullable=False),
        sa.Column("place", sa.String(length=300), nullable=False),
        sa.Column("link", sa.String(length=500), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("mode IN ('in_person', 'online', 'mixed')", name="ck_meeting_mode"),
        sa.CheckConstraint(
            "status IN ('scheduled', 'open', 'closed', 'cancelled')", name="ck_meeting_status"
        ),
        sa.ForeignKeyConstraint(
            ["council_id"],
            ["council.id"],
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_council_id"), ["council_id"], unique=False)

    op.create_table(
        "attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("seat_id", sa.Integer(), nullable=False),
        sa.Column("present", sa.Boolean(), nullable=False),
        sa.Column("how", sa.String(length=12), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["seat_id"],
            ["council_seat.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("meeting_id", "seat_id"),
    )
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attendance_meeting_id"), ["meeting_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_attendance_seat_id"), ["seat_id"], unique=False)

    op.create_table(
        "meeting_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=True),
        sa.Column("award_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=14), nullable=False),
        sa.Column("conclusion", sa.String(length=24), nullable=True),
        sa.Column("requested_changes", sa.String(length=5000), nullable=False),
        sa.Column("dissent", sa.String(length=5000), nullable=False),
        sa.Column("notes", sa.String(length=10000), nullable=False),
        sa.Column("council_rank", sa.Integer(), nullable=True),
        sa.Column("concluded_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "conclusion IS NULL OR "
            "conclusion IN ('select', 'select_with_changes', 'do_not_select', 'excellent', "
            "'pass', 'fail', 'continue', 'adjust', 'stop', 'no_conclusion')",
            name="ck_meeting_item_conclusion",
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'deliberating', 'voting', 'concluded')",
            name="ck_meeting_item_status",
        ),
        sa.CheckConstraint(
            "(proposal_id IS NULL) <> (award_id IS NULL)", name="ck_meeting_item_subject"
        ),
        sa.ForeignKeyConstraint(
            ["award_id"],
            ["award.id"],
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposal.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("meeting_id", "award_id"),
        sa.UniqueConstraint("meeting_id", "proposal_id"),
    )
    with op.batch_alter_table("meeting_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_item_award_id"), ["award_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_meeting_item_meeting_id"), ["meeting_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_meeting_item_proposal_id"), ["proposal_id"], unique=False
        )

    op.create_table(
        "minutes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("meeting_id", "version", "language"),
    )
    with op.batch_alter_table("minutes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_minutes_meeting_id"), ["meeting_id"], unique=False)

    op.create_table(
        "ballot_tally",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("choice", sa.String(length=24), nullable=False),
        sa.Column("votes", sa.Integer(), nullable=False),
        sa.CheckConstraint("votes >= 0", name="ck_ballot_tally_votes"),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["meeting_item.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("item_id", "choice"),
    )
    with op.batch_alter_table("ballot_tally", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ballot_tally_item_id"), ["item_id"], unique=False)

    op.create_table(
        "council_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("minutes_id", sa.Integer(), nullable=True),
        sa.Column("number", sa.String(length=80), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id"],
            ["council.id"],
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
        ),
        sa.ForeignKeyConstraint(
            ["minutes_id"],
            ["minutes.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("council_decision", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_council_decision_council_id"), ["council_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_council_decision_meeting_id"), ["meeting_id"], unique=False
        )

    op.create_table(
        "item_conflict",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("seat_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.String(length=1000), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["meeting_item.id"],
        ),
        sa.ForeignKeyConstraint(
            ["seat_id"],
            ["council_seat.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("item_id", "seat_id"),
    )
    with op.batch_alter_table("item_conflict", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_item_conflict_item_id"), ["item_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_item_conflict_seat_id"), ["seat_id"], unique=False)

    op.create_table(
        "minutes_signature",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("minutes_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["minutes_id"],
            ["minutes.id"],
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("minutes_id", "role"),
    )
    with op.batch_alter_table("minutes_signature", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_minutes_signature_minutes_id"), ["minutes_id"], unique=False
        )

    op.create_table(
        "open_vote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("seat_id", sa.Integer(), nullable=False),
        sa.Column("choice", sa.String(length=24), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["meeting_item.id"],
        ),
        sa.ForeignKeyConstraint(
            ["seat_id"],
            ["council_seat.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("item_id", "seat_id"),
    )
    with op.batch_alter_table("open_vote", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_open_vote_item_id"), ["item_id"], unique=False)

    op.create_table(
        "rating_sheet",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("seat_id", sa.Integer(), nullable=False),
        sa.Column("scores", sa.String(length=4000), nullable=False),
        sa.Column("indicator_checks", sa.String(length=4000), nullable=False),
        sa.Column("opinion", sa.String(length=20000), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status IN ('draft', 'submitted')", name="ck_rating_sheet_status"),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["meeting_item.id"],
        ),
        sa.ForeignKeyConstraint(
            ["seat_id"],
            ["council_seat.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("item_id", "seat_id"),
    )
    with op.batch_alter_table("rating_sheet", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rating_sheet_item_id"), ["item_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_rating_sheet_seat_id"), ["seat_id"], unique=False)

    op.create_table(
        "vote_cast",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("seat_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["meeting_item.id"],
        ),
        sa.ForeignKeyConstraint(
            ["seat_id"],
            ["council_seat.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("item_id", "seat_id"),
    )
    with op.batch_alter_table("vote_cast", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_vote_cast_item_id"), ["item_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_vote_cast_seat_id"), ["seat_id"], unique=False)

    op.create_table(
        "council_decision_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("recommendation", sa.String(length=24), nullable=False),
        sa.Column("council_rank", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=24), nullable=False),
        sa.Column("departure_reason", sa.String(length=2000), nullable=False),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["council_decision.id"],
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["meeting_item.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("decision_id", "item_id"),
    )
    with op.batch_alter_table("council_decision_line", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_council_decision_line_decision_id"), ["decision_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_council_decision_line_item_id"), ["item_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("council_decision_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_council_decision_line_item_id"))
        batch_op.drop_index(batch_op.f("ix_council_decision_line_decision_id"))

    op.drop_table("council_decision_line")
    with op.batch_alter_table("vote_cast", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_vote_cast_seat_id"))
        batch_op.drop_index(batch_op.f("ix_vote_cast_item_id"))

    op.drop_table("vote_cast")
    with op.batch_alter_table("rating_sheet", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rating_sheet_seat_id"))
        batch_op.drop_index(batch_op.f("ix_rating_sheet_item_id"))

    op.drop_table("rating_sheet")
    with op.batch_alter_table("open_vote", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_open_vote_item_id"))

    op.drop_table("open_vote")
    with op.batch_alter_table("minutes_signature", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_minutes_signature_minutes_id"))

    op.drop_table("minutes_signature")
    with op.batch_alter_table("item_conflict", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_item_conflict_seat_id"))
        batch_op.drop_index(batch_op.f("ix_item_conflict_item_id"))

    op.drop_table("item_conflict")
    with op.batch_alter_table("council_decision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_council_decision_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_council_decision_council_id"))

    op.drop_table("council_decision")
    with op.batch_alter_table("ballot_tally", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ballot_tally_item_id"))

    op.drop_table("ballot_tally")
    with op.batch_alter_table("minutes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_minutes_meeting_id"))

    op.drop_table("minutes")
    with op.batch_alter_table("meeting_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_item_proposal_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_item_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_item_award_id"))

    op.drop_table("meeting_item")
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attendance_seat_id"))
        batch_op.drop_index(batch_op.f("ix_attendance_meeting_id"))

    op.drop_table("attendance")
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_council_id"))

    op.drop_table("meeting")
    with op.batch_alter_table("council_seat", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_council_seat_user_id"))
        batch_op.drop_index(batch_op.f("ix_council_seat_council_id"))

    op.drop_table("council_seat")
    with op.batch_alter_table("council", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_council_fund_id"))
        batch_op.drop_index(batch_op.f("ix_council_call_id"))
        batch_op.drop_index(batch_op.f("ix_council_award_id"))

    op.drop_table("council")
    with op.batch_alter_table("council_rules", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_council_rules_fund_id"))

    op.drop_table("council_rules")
