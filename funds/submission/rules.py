"""Pure rules of submitted versions: the state machine of a submission."""

from funds.errors import N_
from funds.proposals.models import SubmissionStatus as SS
from funds.states import Machine, transitions

# A submitted version stays current until the PI withdraws it or a newer version replaces it.
SUBMISSION = Machine(
    "submission",
    SS,
    transitions(
        {
            SS.CURRENT: {SS.WITHDRAWN, SS.SUPERSEDED},
            SS.WITHDRAWN: set(),
            SS.SUPERSEDED: set(),
        }
    ),
    {SS.CURRENT: N_("Current"), SS.WITHDRAWN: N_("Withdrawn"), SS.SUPERSEDED: N_("Superseded")},
)
