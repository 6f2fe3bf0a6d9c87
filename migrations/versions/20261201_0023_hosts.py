"""host organisations, officers and endorsement

Revision ID: 0023_hosts
Revises: 0022_council_criteria
Create Date: 2026-12-01 17:30:00

Creates the register of host organisations (host), the links of host officers
(host_officer), the endorsements of submitted versions (endorsement), the call settings
requires_endorsement and endorsement_days, and proposal.host_id and profile.host_id.

Then it turns the free-text institutions of accounts and co-investigators into organisations,
grouping the texts that fold alike (lowercase, without diacritics, abbreviations written out,
"trường", "viện", "đại học" and the like left out), each group one organisation in the state
`imported` under its most frequent spelling, without a tax code: a manager checks and
confirms them on the register. Profiles and proposals are linked to their PI's organisation
(a submitted proposal to the institution in its latest submitted version). A text that names
no organisation in particular ("Viện", "N/A", "—") or several at once ("A; B") is not
turned into one: it is listed in host_import_issue, which the register's page shows.
The folding is written out here as it was when this revision was written (a revision never
imports application code; the living rule is funds.hosts.rules.fold_name).
"""

import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0023_hosts"
down_revision: str | Sequence[str] | None = "0022_council_criteria"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GENERIC_PHRASES = (  # the kind of organisation, at the start of its name
    "truong dai hoc",
    "dai hoc",
    "hoc vien",
    "truong",
    "vien",
    "dh",
)
# English kind words, anywhere ("Can Tho University"); never a folded Vietnamese word
GENERIC_WORDS = frozenset({"university", "institute"})
ABBREVIATIONS = {
    "kh": "khoa hoc",
    "cn": "cong nghe",
    "khcn": "khoa hoc cong nghe",
    "tp": "thanh pho",
    "hcm": "ho chi minh",
    "tphcm": "thanh pho ho chi minh",
    "dhqg": "quoc gia",
    "qg": "quoc gia",
}
JOINERS = frozenset({"va", "and", "of", "&"})
MIN_KEY = 3
SEVERAL = re.compile(r"[;|\n]")


def fold_name(text: str) -> str:
    text = unicodedata.normalize("NFC", text or "").casefold().replace("đ", "d")
    text = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    words = re.findall(r"[a-z0-9]+", text.replace("&", " "))
    words = " ".join(ABBREVIATIONS.get(w, w) for w in words if w not in JOINERS).split()
    stripped = True
    while stripped:  # "Trường Đại học …", "Học viện …": the leading kind words, not a
        stripped = False  # folded "viễn" inside a name ("Bưu chính Viễn thông")
        for phrase in GENERIC_PHRASES:
            kind = phrase.split()
            if words[: len(kind)] == kind:
                words, stripped = words[len(kind) :], True
                break
    return " ".join(w for w in words if w not in GENERIC_WORDS)


def _schema() -> None:
    op.create_table(
        "host",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name_vi", sa.String(length=300), nullable=False),
        sa.Column("name_en", sa.String(length=300), nullable=False),
        sa.Column("folded_name", sa.String(length=300), nullable=False),
        sa.Column("tax_code", sa.String(length=14), nullable=True),
        sa.Column("address", sa.String(length=500), nullable=False),
        sa.Column("line_agency", sa.String(length=300), nullable=False),
        sa.Column("representative_name", sa.String(length=200), nullable=False),
        sa.Column("representative_title", sa.String(length=200), nullable=False),
        sa.Column("finance_name", sa.String(length=200), nullable=False),
        sa.Column("finance_email", sa.String(length=254), nullable=False),
        sa.Column("finance_phone", sa.String(length=30), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("requested_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('requested', 'imported', 'confirmed', 'rejected')",
            name="ck_host_status",
        ),
        sa.ForeignKeyConstraint(["requested_by"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("tax_code"),
    )
    with op.batch_alter_table("host", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_host_folded_name"), ["folded_name"], unique=False)
        batch_op.create_index(batch_op.f("ix_host_status"), ["status"], unique=False)
    op.create_table(
        "host_officer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("host_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["host_id"], ["host.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("host_id", "user_id", name="uq_host_officer_pair"),
    )
    with op.batch_alter_table("host_officer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_host_officer_host_id"), ["host_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_host_officer_user_id"), ["user_id"], unique=False)
    op.create_table(
        "endorsement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("host_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(length=2000), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('pending', 'endorsed', 'returned', 'cancelled')",
            name="ck_endorsement_status",
        ),
        sa.ForeignKeyConstraint(["decided_by"], ["user.id"]),
        sa.ForeignKeyConstraint(["host_id"], ["host.id"]),
        sa.ForeignKeyConstraint(["proposal_id"], ["proposal.id"]),
        sa.ForeignKeyConstraint(["submission_id"], ["submission.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("submission_id"),
    )
    with op.batch_alter_table("endorsement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_endorsement_host_id"), ["host_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_endorsement_proposal_id"), ["proposal_id"], unique=False
        )
    op.create_table(
        "host_import_issue",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=300), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("call", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "requires_endorsement", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )
        batch_op.add_column(
            sa.Column("endorsement_days", sa.Integer(), server_default="10", nullable=False)
        )
        batch_op.create_check_constraint(
            "ck_call_endorsement_days", "endorsement_days >= 0 AND endorsement_days <= 90"
        )
    for table in ("proposal", "profile"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("host_id", sa.Integer(), nullable=True))
            batch_op.create_index(batch_op.f(f"ix_{table}_host_id"), ["host_id"], unique=False)
            batch_op.create_foreign_key(f"fk_{table}_host", "host", ["host_id"], ["id"])


# --- the free-text institutions become organisations --------------------------------------

HOST = sa.table(
    "host",
    sa.column("id", sa.Integer),
    sa.column("name_vi", sa.String),
    sa.column("name_en", sa.String),
    sa.column("folded_name", sa.String),
    sa.column("tax_code", sa.String),
    sa.column("address", sa.String),
    sa.column("line_agency", sa.String),
    sa.column("representative_name", sa.String),
    sa.column("representative_title", sa.String),
    sa.column("finance_name", sa.String),
    sa.column("finance_email", sa.String),
    sa.column("finance_phone", sa.String),
    sa.column("status", sa.String),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)
ISSUE = sa.table(
    "host_import_issue",
    sa.column("source", sa.String),
    sa.column("source_id", sa.Integer),
    sa.column("text", sa.String),
    sa.column("reason", sa.String),
    sa.column("created_at", sa.DateTime(timezone=True)),
)
PROFILE = sa.table(
    "profile",
    sa.column("id", sa.Integer),
    sa.column("user_id", sa.Integer),
    sa.column("title", sa.String),
    sa.column("position", sa.String),
    sa.column("cv", sa.String),
    sa.column("updated_at", sa.DateTime(timezone=True)),
    sa.column("host_id", sa.Integer),
)
PROPOSAL = sa.table("proposal", sa.column("id", sa.Integer), sa.column("host_id", sa.Integer))


def _texts(conn) -> list[tuple[str, int, str]]:
    """(source, id, text) of every institution typed so far."""
    found = [
        ("user", uid, text)
        for uid, text in conn.execute(sa.text('SELECT id, institution FROM "user"'))
    ]
    found += [
        ("co_investigator", cid, text)
        for cid, text in conn.execute(sa.text("SELECT id, institution FROM co_investigator"))
    ]
    return [(s, i, (t or "").strip()) for s, i, t in found if (t or "").strip()]


def _problem(text: str) -> str | None:
    if SEVERAL.search(text):
        return "several organisations in one field"
    if len(fold_name(text).replace(" ", "")) < MIN_KEY:
        return "no distinctive name"
    return None


def _make_hosts(conn, texts, now) -> dict[str, int]:
    """One organisation per folded name, under its most frequent spelling; {key: host id}."""
    spellings: dict[str, Counter] = defaultdict(Counter)
    for source, source_id, text in texts:
        problem = _problem(text)
        if problem:
            conn.execute(
                ISSUE.insert().values(
                    source=source,
                    source_id=source_id,
                    text=text[:300],
                    reason=problem,
                    created_at=now,
                )
            )
        else:
            spellings[fold_name(text)][text] += 1
    ids = {}
    for key in sorted(spellings):
        name = sorted(spellings[key].items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[0][0]
        empty = dict.fromkeys(
            (
                "name_en",
                "address",
                "line_agency",
                "representative_name",
                "representative_title",
                "finance_name",
                "finance_email",
                "finance_phone",
            ),
            "",
        )
        conn.execute(
            HOST.insert().values(
                name_vi=name[:300],
                folded_name=key[:300],
                tax_code=None,
                status="imported",
                created_at=now,
                updated_at=now,
                **empty,
            )
        )
        ids[key] = conn.execute(
            sa.text("SELECT id FROM host WHERE folded_name = :k AND status = 'imported'"),
            {"k": key[:300]},
        ).scalar_one()
    return ids


def _host_of(text: str, ids: dict[str, int]) -> int | None:
    text = (text or "").strip()
    if not text or _problem(text):
        return None
    return ids.get(fold_name(text))


def _link_profiles(conn, ids, now) -> None:
    """Profiles name their owner's organisation; a principal investigator or applicant
    without a profile gets one, so that their next proposal names it too."""
    users = dict(conn.execute(sa.text('SELECT id, institution FROM "user"')).all())
    profiles = dict(conn.execute(sa.text("SELECT user_id, id FROM profile")).all())
    applicants = {
        uid
        for (uid,) in conn.execute(
            sa.text(
                "SELECT user_id FROM user_role WHERE role = 'applicant' "
                "UNION SELECT pi_id FROM proposal"
            )
        )
    }
    for uid, text in users.items():
        host_id = _host_of(text, ids)
        if host_id is None:
            continue
        if uid in profiles:
            conn.execute(
                PROFILE.update().where(PROFILE.c.id == profiles[uid]).values(host_id=host_id)
            )
        elif uid in applicants:
            conn.execute(
                PROFILE.insert().values(
                    user_id=uid, title="", position="", cv="", updated_at=now, host_id=host_id
                )
            )


def _link_proposals(conn, ids) -> None:
    """A proposal names its PI's organisation: as typed in its latest submitted version,
    else the PI's institution now."""
    rows = conn.execute(
        sa.text('SELECT p.id, u.institution FROM proposal p JOIN "user" u ON u.id = p.pi_id')
    ).all()
    submitted: dict[int, str] = {}
    for pid, snapshot in conn.execute(
        sa.text("SELECT proposal_id, snapshot FROM submission ORDER BY proposal_id, version_no")
    ):
        try:
            submitted[pid] = (json.loads(snapshot).get("pi") or {}).get("institution") or ""
        except (ValueError, AttributeError):
            continue
    for pid, institution in rows:
        host_id = _host_of(submitted.get(pid) or institution, ids)
        if host_id is not None:
            conn.execute(PROPOSAL.update().where(PROPOSAL.c.id == pid).values(host_id=host_id))


def upgrade() -> None:
    _schema()
    conn = op.get_bind()
    now = datetime.now(UTC)
    ids = _make_hosts(conn, _texts(conn), now)
    _link_profiles(conn, ids, now)
    _link_proposals(conn, ids)


def downgrade() -> None:
    for table in ("profile", "proposal"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f"fk_{table}_host", type_="foreignkey")
            batch_op.drop_index(batch_op.f(f"ix_{table}_host_id"))
            batch_op.drop_column("host_id")
    with op.batch_alter_table("call", schema=None) as batch_op:
        batch_op.drop_constraint("ck_call_endorsement_days", type_="check")
        batch_op.drop_column("endorsement_days")
        batch_op.drop_column("requires_endorsement")
    op.drop_table("host_import_issue")
    with op.batch_alter_table("endorsement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_endorsement_proposal_id"))
        batch_op.drop_index(batch_op.f("ix_endorsement_host_id"))
    op.drop_table("endorsement")
    with op.batch_alter_table("host_officer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_host_officer_user_id"))
        batch_op.drop_index(batch_op.f("ix_host_officer_host_id"))
    op.drop_table("host_officer")
    with op.batch_alter_table("host", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_host_status"))
        batch_op.drop_index(batch_op.f("ix_host_folded_name"))
    op.drop_table("host")
