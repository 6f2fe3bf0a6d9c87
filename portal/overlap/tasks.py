"""The overlap screening after a submission, as outbox work (run by the task queue)."""

from portal import edge
from portal.outbox.relay import handler, later
from reviews.overlap.services import screen_proposal


@handler("overlap_screen")
def screen_after_submission(proposal_id: int) -> None:
    """Compare the submitted proposal with every other; its own transaction."""
    with edge.transaction() as s:
        screen_proposal(s, proposal_id=proposal_id)


def screen_later(proposal_id: int) -> None:
    """Inside the submission's transaction: screen the proposal once it has committed."""
    later("overlap_screen", proposal_id)
