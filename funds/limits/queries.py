"""A fund's limits and what one person leads now, across every fund."""

from sqlmodel import Session, col, func, select

from funds.calls.models import Call
from funds.limits.models import FundLimits
from funds.limits.rules import FUND_SETTINGS, Limits, PersonLoad, limit_checks
from funds.projects.models import Award, AwardStatus
from funds.proposals.eligibility import CheckItem
from funds.proposals.models import Proposal, ProposalStatus


def limits_of(session: Session, fund_id: int) -> Limits:
    """The fund's limits; the defaults where it has set none."""
    row = session.exec(select(FundLimits).where(FundLimits.fund_id == fund_id)).first()
    if row is None:
        return Limits()
    return Limits(**{s.name: getattr(row, s.name) for s in FUND_SETTINGS})


def person_load(session: Session, pi_id: int, *, besides: int | None = None) -> PersonLoad:
    """Proposals the person leads that are submitted and undecided (besides `besides`), and
    projects they lead that are in progress, in every fund."""
    led = (
        select(func.count())
        .select_from(Proposal)
        .where(Proposal.pi_id == pi_id, Proposal.status == ProposalStatus.SUBMITTED)
    )
    if besides is not None:
        led = led.where(Proposal.id != besides)
    running = (
        select(func.count())
        .select_from(Award)
        .join(Proposal, col(Proposal.id) == Award.proposal_id)
        .where(Proposal.pi_id == pi_id, Award.status == AwardStatus.ACTIVE)
    )
    return PersonLoad(session.exec(led).one(), session.exec(running).one())


def limit_items(session: Session, proposal: Proposal) -> list[CheckItem]:
    """The checklist items of the proposal's fund's limits for its PI (none if unlimited)."""
    fund_id = session.exec(select(Call.fund_id).where(Call.id == proposal.call_id)).one()
    limits = limits_of(session, fund_id)
    if not (limits.max_led_proposals or limits.max_active_projects):
        return []
    return limit_checks(person_load(session, proposal.pi_id, besides=proposal.id), limits)
