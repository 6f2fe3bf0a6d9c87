"""The whole submitted proposal for its assessors: the snapshot, never a later draft."""

import json
from dataclasses import dataclass

from sqlmodel import Session, select

from funds.accounts.models import User
from funds.errors import N_, NotFound
from funds.proposals.models import Attachment, Submission
from funds.submission.services import current_submission
from reviews.dossier.rules import (
    PDF_TYPES,
    BudgetGrid,
    blind_snapshot,
    budget_grid,
    review_is_blind,
    submitted_files,
)
from reviews.reviewing.services import require_reader
from reviews.rubric.services import rubric_for_call


@dataclass(frozen=True)
class DossierFile:
    kind: str
    name: str
    size_bytes: int
    attachment_id: int | None  # None when the submitted file is no longer stored
    is_pdf: bool


@dataclass(frozen=True)
class Dossier:
    """A submitted version as its assessors read it; `s` is the snapshot (blinded when the
    call's review is blind)."""

    s: dict
    submission: Submission
    blind: bool
    budget: BudgetGrid
    files: tuple[DossierFile, ...]


def submitted_dossier(session: Session, *, proposal_id: int, blind: bool) -> Dossier:
    """The proposal's latest submitted version (NotFound if it was never submitted)."""
    submission = current_submission(session, proposal_id)
    if submission is None:
        raise NotFound(N_("This proposal has not been submitted."))
    snapshot = json.loads(submission.snapshot)
    if blind:
        snapshot = blind_snapshot(snapshot)
    stored = session.exec(select(Attachment).where(Attachment.proposal_id == proposal_id)).all()
    files = tuple(
        DossierFile(
            f.get("kind", ""),
            f.get("name", ""),
            f.get("size_bytes", 0),
            a.id if a is not None else None,
            a is not None and a.content_type in PDF_TYPES,
        )
        for f, a in submitted_files(snapshot, stored)
    )
    budget = budget_grid(snapshot.get("budget", {}).get("lines", []))
    return Dossier(snapshot, submission, blind, budget, files)


def dossier_for_reviewer(session: Session, *, actor: User, assignment_id: int) -> Dossier:
    """The assigned proposal as submitted, after confidentiality and a declaration of no
    conflict (NotAllowed before, NotFound for anyone else's assignment); blind as the call's
    rubric says."""
    assignment = require_reader(session, actor=actor, assignment_id=assignment_id).assignment
    from funds.proposals.models import Proposal

    proposal = session.get_one(Proposal, assignment.proposal_id)
    blind = review_is_blind(rubric_for_call(session, proposal.call_id))
    return submitted_dossier(session, proposal_id=proposal.id, blind=blind)


def reviewer_submitted_file(
    session: Session, *, actor: User, assignment_id: int, attachment_id: int
) -> Attachment:
    """A file of the submitted version of the assigned proposal, for the reader."""
    dossier = dossier_for_reviewer(session, actor=actor, assignment_id=assignment_id)
    if attachment_id not in {f.attachment_id for f in dossier.files}:
        raise NotFound(N_("No such file."))
    return session.get_one(Attachment, attachment_id)


def dossier_for_council(session: Session, *, proposal_id: int) -> Dossier:
    """The proposal as submitted, for the members of a council already checked to sit on
    its item; blind as the call's rubric says."""
    from funds.proposals.models import Proposal

    proposal = session.get(Proposal, proposal_id)
    if proposal is None:
        raise NotFound(N_("No such proposal."))
    blind = review_is_blind(rubric_for_call(session, proposal.call_id))
    return submitted_dossier(session, proposal_id=proposal.id, blind=blind)
