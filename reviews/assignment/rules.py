"""Pure rules of reviewer assignments and reviews: their state machines and the defaults."""

from enum import IntEnum

from funds.errors import N_
from funds.states import Machine, transitions
from reviews.assignment.models import AssignmentStatus as AS
from reviews.assignment.models import ReviewStatus as RS

REVIEWERS_PER_PROPOSAL = 3  # a call without a rubric setting gets this many reviewers each
REVIEW_PERIOD_DAYS = 21  # a review is due this many days after it is assigned

# A reviewer declines (or declares a conflict) or submits; a fund manager reopens a
# submitted review, and the reviewer may then change it and submit again.
ASSIGNMENT_TRANSITIONS = transitions(
    {
        AS.ASSIGNED: {AS.DECLINED, AS.SUBMITTED},
        AS.SUBMITTED: {AS.ASSIGNED},
        AS.DECLINED: set(),
    }
)
ASSIGNMENT = Machine(
    "assignment",
    AS,
    ASSIGNMENT_TRANSITIONS,
    {
        AS.ASSIGNED: N_("Assigned"),
        AS.DECLINED: N_("Declined"),
        AS.SUBMITTED: N_("Submitted"),
    },
    refusal=N_("This review assignment does not allow that step any more."),
)

REVIEW_TRANSITIONS = transitions(
    {
        RS.DRAFT: {RS.SUBMITTED},
        RS.SUBMITTED: {RS.DRAFT},
    }
)
REVIEW = Machine(
    "review",
    RS,
    REVIEW_TRANSITIONS,
    {
        RS.DRAFT: N_("Draft"),
        RS.SUBMITTED: N_("Submitted"),
    },
    refusal=N_("This review has already been submitted."),
)


class PairAction(IntEnum):
    """What a manager does to a (proposal, reviewer) pair before re-solving; a pair
    constraint stores PIN or FORBID as its value."""

    FORBID = -1
    RELEASE = 0
    PIN = 1
    CLEAR_CONFLICT = 2  # override the reviewer's declared conflict, with a reason


PAIR_ACTION_LABELS = {
    PairAction.PIN: N_("Pin"),
    PairAction.FORBID: N_("Forbid"),
    PairAction.RELEASE: N_("Release"),
}


def pair_action(value: int | None) -> PairAction | None:
    """The action a submitted value names, or None for a value that names none."""
    try:
        return PairAction(value) if value is not None else None
    except ValueError:
        return None


def needs_reason(action: PairAction) -> bool:
    """Clearing a declared conflict is recorded with the manager's reason."""
    return action == PairAction.CLEAR_CONFLICT
