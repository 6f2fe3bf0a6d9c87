"""Adding and removing a draft's attachments."""

from pathlib import Path

from sqlmodel import Session

from funds import audit
from funds.accounts.models import User
from funds.calls.models import Call
from funds.calls.services import call_rules
from funds.errors import N_, NotAllowed, NotFound, RuleViolation
from funds.proposals.attachments import check_upload, clean_filename, content_type, store
from funds.proposals.models import Attachment, Proposal
from funds.proposals.permissions import can_edit_proposal, can_view_proposal
from funds.proposals.services import get_proposal_for


def add_attachment(
    session: Session,
    *,
    actor: User,
    proposal_id: int,
    kind: str,
    filename: str,
    data: bytes,
    directory: Path,
) -> Attachment:
    """Check the file by its content against the call's limits, store it, record its hash."""
    proposal = get_proposal_for(session, proposal_id=proposal_id, actor=actor)
    if not can_edit_proposal(proposal, actor):
        raise NotAllowed(N_("Only the principal investigator can edit a draft."))
    rules = call_rules(session, session.get_one(Call, proposal.call_id))
    found = check_upload(
        data, kind=kind, max_bytes=rules.attachment_max_bytes, pdf_only=rules.pdf_only
    )
    if found:
        raise RuleViolation(found[0].message, found, **found[0].params)
    stored, digest = store(data, directory)
    attachment = Attachment(
        proposal_id=proposal.id,
        kind=kind,
        original_name=clean_filename(filename),
        stored_name=stored,
        content_type=content_type(data),
        size_bytes=len(data),
        sha256=digest,
        uploaded_by=actor.id,
    )
    session.add(attachment)
    session.flush()
    audit.record(
        session,
        actor_id=actor.id,
        object_type="attachment",
        object_id=attachment.id,
        action="upload",
        detail=f"proposal={proposal.id} sha256={digest}",
    )
    return attachment


def get_attachment_for(session: Session, *, attachment_id: int, actor: User) -> Attachment:
    """The attachment if the actor may see its proposal; otherwise NotFound."""
    attachment = session.get(Attachment, attachment_id)
    proposal = session.get(Proposal, attachment.proposal_id) if attachment else None
    if attachment is None or proposal is None or not can_view_proposal(proposal, actor):
        raise NotFound(N_("No such file."))
    return attachment


def remove_attachment(session: Session, *, actor: User, attachment_id: int) -> None:
    """Remove a draft's attachment (the stored file stays until a clean-up; snapshots keep
    its hash)."""
    attachment = get_attachment_for(session, attachment_id=attachment_id, actor=actor)
    proposal = session.get_one(Proposal, attachment.proposal_id)
    if not can_edit_proposal(proposal, actor):
        raise NotAllowed(N_("Only the principal investigator can edit a draft."))
    audit.record(
        session,
        actor_id=actor.id,
        object_type="attachment",
        object_id=attachment.id,
        action="remove",
        detail=f"proposal={proposal.id}",
    )
    session.delete(attachment)
    session.flush()
