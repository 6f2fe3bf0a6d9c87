"""Pure rules of two-stage calls: when a shortlisted applicant may start the full proposal.

The stage windows themselves are the call's (funds.calls.rules.stage_is_open); the states
and outcomes are the proposal's (funds.proposals.rules.STAGE_OUTCOMES)."""

from dataclasses import dataclass
from datetime import datetime

from funds.errors import N_

DEADLINE_PASSED = N_(
    "The deadline for full proposals was %(closes_at)s; a full proposal can no longer be started."
)


@dataclass(frozen=True)
class OutlineFacts:
    """What deciding on a full proposal needs to know of a pre-proposal."""

    is_outline: bool
    shortlisted: bool
    invited: bool  # the shortlisting letter has been issued (the invitation)
    full_started: bool
    full_closes_at: datetime | None


def full_proposal_refusal(f: OutlineFacts, now: datetime) -> str | None:
    """Why the full proposal cannot be started now (a msgid), or None when it can."""
    if not f.is_outline or not f.shortlisted:
        return N_("Only a shortlisted pre-proposal is invited to submit a full proposal.")
    if not f.invited:
        return N_("The full proposal can be started once the shortlisting letter is issued.")
    if f.full_started:
        return N_("The full proposal of this pre-proposal has already been started.")
    if f.full_closes_at is None or now >= f.full_closes_at:
        return DEADLINE_PASSED
    return None
