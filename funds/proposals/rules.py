"""Pure business rules of calls and proposals: plain values in, violations out."""

from datetime import datetime
from math import ceil

from funds.clock import to_local
from funds.errors import N_
from funds.proposals.models import ProposalStatus as PS
from funds.states import Machine, transitions

PROPOSAL_TRANSITIONS = transitions(
    {
        PS.DRAFT: {PS.SUBMITTED},
        PS.SUBMITTED: {PS.WITHDRAWN, PS.FUNDED, PS.NOT_FUNDED, PS.DRAFT},
        PS.WITHDRAWN: {PS.DRAFT},
        PS.FUNDED: set(),
        PS.NOT_FUNDED: set(),
    }
)
PROPOSAL = Machine(
    "proposal",
    PS,
    PROPOSAL_TRANSITIONS,
    {
        PS.DRAFT: N_("Draft"),
        PS.SUBMITTED: N_("Submitted"),
        PS.WITHDRAWN: N_("Withdrawn"),
        PS.FUNDED: N_("Funded"),
        PS.NOT_FUNDED: N_("Not funded"),
    },
)
# what managers see and filter by: every state but the applicant's own draft
FILED_STATES = tuple(s for s in PS if s != PS.DRAFT)


def can_move(current: str, target: str) -> bool:
    """Whether a proposal may go from `current` to `target`."""
    return PROPOSAL.can_move(current, target)


MAX_BUDGET_YEARS = 6  # the budget table's width: longer projects budget their last years later


def fiscal_years(closes_at: datetime, max_duration_months: int) -> list[int]:
    """The fiscal years a proposal budgets: from the year (Vietnam time) the call closes, one per
    started twelve months of the call's maximum duration, at least one and at most six."""
    first = to_local(closes_at).year
    count = min(MAX_BUDGET_YEARS, max(1, ceil(max_duration_months / 12)))
    return list(range(first, first + count))
