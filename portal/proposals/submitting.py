"""The submit request: one transaction, idempotent under double clicks and retries."""

from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from funds.proposals.models import Proposal, Submission
from funds.submission import services as svc
from portal import db, edge
from portal.hosts.mail import queue_endorsement_request
from portal.outbox.relay import later
from portal.overlap.tasks import screen_later


def _version(text: str) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isdigit() and len(text) < 10 else None


def submit_once(proposal: Proposal, version_text: str) -> Submission | None:
    """Submit through the edge, which queues the PDF and e-mail once committed; a refusal is
    shown and None returned. A lost race returns the winner's receipt (the unique version
    number per proposal makes a second row impossible)."""

    def submit() -> Submission:
        submission, new = svc.submit_once(
            db.session(),
            actor=current_user,
            proposal_id=proposal.id,
            expected_version=_version(version_text),
        )
        if new:  # decided under the row lock: a double click queues the work once
            later("after_submission", submission.id)
            queue_endorsement_request(submission.id)
            screen_later(proposal.id)  # duplicate and overlapping work (reviews.overlap)
        return submission

    try:
        return edge.run(submit).value
    except (IntegrityError, StaleDataError):  # a concurrent submit of this draft came first
        submission = svc.current_submission(db.session(), proposal.id)
        if submission is None:
            raise
        return submission
