"""Read models of a call's submissions for managers: rows from the submitted snapshots."""

import json
from dataclasses import dataclass

from sqlmodel import Session, col, select

from funds.accounts.models import User
from funds.calls.services import get_call_for_manager
from funds.proposals.models import Proposal, ProposalStatus, Submission, SubmissionStatus
from funds.text import search


@dataclass(frozen=True)
class SubmittedRow:
    proposal: Proposal
    pi: User
    submission: Submission | None

    @property
    def snapshot(self) -> dict:
        return json.loads(self.submission.snapshot) if self.submission else {}


def submitted_rows(
    session: Session, *, actor: User, call_id: int, status: str = "", area: str = "", q: str = ""
) -> list[SubmittedRow]:
    """A call's non-draft proposals with their current version, filtered (the managers of
    the call's fund only; NotFound for anyone else)."""
    get_call_for_manager(session, call_id=call_id, actor=actor)
    stmt = (
        select(Proposal, User)
        .join(User, col(User.id) == Proposal.pi_id)
        .where(Proposal.call_id == call_id, Proposal.status != ProposalStatus.DRAFT)
        .order_by(col(Proposal.id))
    )
    if status:
        stmt = stmt.where(Proposal.status == status)
    if area:
        stmt = stmt.where(Proposal.area_code == area)
    # accents optional: folded in Python over the call's rows (funds.text)
    pairs = search(
        session.exec(stmt).all(),
        q,
        lambda pair: (
            pair[0].title,
            pair[0].title_en,
            pair[0].keywords,
            pair[1].name,
            pair[1].institution,
        ),
        limit=None,  # the exports take the whole filtered call
    )
    latest = _latest_submissions(session, [p.id for p, _u in pairs])
    return [SubmittedRow(p, u, latest.get(p.id)) for p, u in pairs]


def _latest_submissions(session: Session, ids: list[int]) -> dict[int, Submission]:
    if not ids:
        return {}
    found: dict[int, Submission] = {}
    for sub in session.exec(
        select(Submission)
        .where(col(Submission.proposal_id).in_(ids))
        .order_by(col(Submission.version_no))
    ):
        if sub.status != SubmissionStatus.SUPERSEDED or sub.proposal_id not in found:
            found[sub.proposal_id] = sub
    return found


def submission_table(rows: list[SubmittedRow]) -> list[dict]:
    """One row per proposal, as submitted."""
    out = []
    for r in rows:
        snap = r.snapshot.get("proposal", {})
        out.append(
            {
                "proposal_id": r.proposal.id,
                "receipt_no": r.submission.receipt_no if r.submission else "",
                "version": r.submission.version_no if r.submission else None,
                "status": r.proposal.status,
                "title": snap.get("title", r.proposal.title),
                "title_en": snap.get("title_en", ""),
                "pi": r.pi.name,
                "institution": r.pi.institution,
                "area": snap.get("area_code") or "",
                "trl_now": snap.get("trl_now"),
                "trl_target": snap.get("trl_target"),
                "duration_months": snap.get("duration_months"),
                "requested_vnd": r.snapshot.get("budget", {}).get(
                    "total_vnd", r.proposal.requested_vnd
                ),
                "submitted_at": r.submission.submitted_at.isoformat() if r.submission else "",
                "sha256": r.submission.sha256 if r.submission else "",
            }
        )
    return out


def budget_table(rows: list[SubmittedRow]) -> list[dict]:
    """One row per budget line of each submitted version."""
    return [
        {
            "proposal_id": r.proposal.id,
            "receipt_no": r.submission.receipt_no,
            "category": line["category"],
            "fiscal_year": line["year"],
            "amount_vnd": line["amount_vnd"],
        }
        for r in rows
        if r.submission
        for line in r.snapshot.get("budget", {}).get("lines", [])
    ]


def counterpart_table(rows: list[SubmittedRow]) -> list[dict]:
    return [
        {
            "proposal_id": r.proposal.id,
            "receipt_no": r.submission.receipt_no,
            "source": c["source"],
            "amount_vnd": c["amount_vnd"],
        }
        for r in rows
        if r.submission
        for c in r.snapshot.get("budget", {}).get("counterparts", [])
    ]
