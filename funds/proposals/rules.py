"""Pure business rules of calls and proposals: plain values in, violations out."""

from datetime import datetime
from math import ceil

from funds.calls.rules import Stage
from funds.clock import to_local
from funds.errors import N_
from funds.proposals.models import DecisionOutcome as DO
from funds.proposals.models import ProposalStatus as PS
from funds.states import Machine, transitions

PROPOSAL_TRANSITIONS = transitions(
    {
        PS.DRAFT: {PS.SUBMITTED},
        PS.SUBMITTED: {
            PS.WITHDRAWN,
            PS.FUNDED,
            PS.NOT_FUNDED,
            PS.DRAFT,
            PS.SHORTLISTED,
            PS.NOT_SHORTLISTED,
        },
        PS.WITHDRAWN: {PS.DRAFT},
        PS.FUNDED: set(),
        PS.NOT_FUNDED: set(),
        PS.SHORTLISTED: set(),  # the applicant goes on with a new, full proposal
        PS.NOT_SHORTLISTED: set(),
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
        PS.SHORTLISTED: N_("Shortlisted"),
        PS.NOT_SHORTLISTED: N_("Not shortlisted"),
    },
)
# what managers see and filter by: every state but the applicant's own draft
FILED_STATES = tuple(s for s in PS if s != PS.DRAFT)


# A pre-proposal's decision is a shortlisting: the funding line, a council's recommendation or
# a manager's "funded" on an outline means shortlisted (invited to the full stage).
STAGE_OUTCOMES = {
    Stage.OUTLINE: {
        DO.FUNDED: DO.SHORTLISTED,
        DO.NOT_FUNDED: DO.NOT_SHORTLISTED,
        DO.SHORTLISTED: DO.SHORTLISTED,
        DO.NOT_SHORTLISTED: DO.NOT_SHORTLISTED,
    },
    Stage.FULL: {DO.FUNDED: DO.FUNDED, DO.NOT_FUNDED: DO.NOT_FUNDED},
}
STAGE_LABELS = {Stage.OUTLINE: N_("Pre-proposal"), Stage.FULL: N_("Full proposal")}


def stage_outcome(stage: str, outcome: str) -> DO | None:
    """The decision an outcome means at this stage; None when the stage has no such outcome
    (a full proposal is never shortlisted)."""
    return STAGE_OUTCOMES[Stage(stage)].get(DO(outcome))


def ranking_stage(two_stage: bool, stages: set[str]) -> Stage:
    """The stage a call's ranking and funding line cover: a two-stage call ranks its
    pre-proposals (the shortlisting) until its first full proposal exists, then the full
    proposals only, so that an outline's envelope never takes a full proposal's money."""
    if two_stage and Stage.FULL not in stages:
        return Stage.OUTLINE
    return Stage.FULL


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
