"""The submit request: one transaction, idempotent under double clicks and retries."""

from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from funds.errors import DomainError
from funds.proposals.models import Proposal, ProposalStatus, Submission
from funds.submission import services as svc
from portal import db, tasks


def _version(text: str) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isdigit() and len(text) < 10 else None


def submit_once(proposal: Proposal, version_text: str) -> Submission | DomainError:
    """Submit and commit, then queue the PDF and e-mail; a lost race returns the winner's
    receipt (the unique version number per proposal makes a second row impossible)."""
    was_draft = proposal.status == ProposalStatus.DRAFT
    s = db.session()
    try:
        submission = svc.submit(s, actor=current_user, proposal_id=proposal.id,
                                expected_version=_version(version_text))
        db.commit()
    except DomainError as exc:
        s.rollback()
        return exc
    except (IntegrityError, StaleDataError):
        s.rollback()  # a concurrent submit of the same draft committed first
        submission = svc.current_submission(s, proposal.id)
        if submission is None:
            raise
        return submission
    if was_draft:
        tasks.after_submission(submission.id)
    return submission
