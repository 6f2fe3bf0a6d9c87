"""Read models: rows for pages and reports, no mutation."""

from sqlmodel import Session, col, func, select

from funds.accounts.models import User
from funds.calls.models import Call
from funds.hosts.models import Endorsement
from funds.proposals.models import Decision, Proposal, ProposalStatus


def proposals_of_pi(session: Session, pi_id: int):
    """(proposal, call) rows of one applicant, newest first."""
    stmt = (
        select(Proposal, Call)
        .join(Call, col(Call.id) == Proposal.call_id)
        .where(Proposal.pi_id == pi_id)
        .order_by(col(Proposal.id).desc())
    )
    return session.exec(stmt).all()


def proposals_of_call(session: Session, call_id: int):
    """(proposal, PI) rows of a call for its managers, from submission on (a draft is the
    applicant's alone)."""
    stmt = (
        select(Proposal, User)
        .join(User, col(User.id) == Proposal.pi_id)
        .where(Proposal.call_id == call_id, Proposal.status != ProposalStatus.DRAFT)
        .order_by(col(Proposal.id))
    )
    return session.exec(stmt).all()


def count_by_status(session: Session, call_id: int) -> dict[str, int]:
    """Proposals of a call per status, drafts not counted (nor shown) to managers."""
    stmt = (
        select(Proposal.status, func.count())
        .where(Proposal.call_id == call_id, Proposal.status != ProposalStatus.DRAFT)
        .group_by(Proposal.status)
    )
    return dict(session.exec(stmt).all())


def decision_for(session: Session, proposal_id: int) -> Decision | None:
    return session.exec(select(Decision).where(Decision.proposal_id == proposal_id)).first()


def proposals_of_host(session: Session, host_id: int, *, fund_ids: list[int] | None = None):
    """(proposal, call, PI, latest endorsement or None) rows naming this host, from
    submission on; only those of `fund_ids` unless None (the host's own officers)."""
    stmt = (
        select(Proposal, Call, User)
        .join(Call, col(Call.id) == Proposal.call_id)
        .join(User, col(User.id) == Proposal.pi_id)
        .where(Proposal.host_id == host_id, Proposal.status != ProposalStatus.DRAFT)
        .order_by(col(Proposal.id).desc())
    )
    if fund_ids is not None:
        stmt = stmt.where(col(Call.fund_id).in_(fund_ids))
    rows = session.exec(stmt).all()
    latest: dict[int, Endorsement] = {}
    ids = [p.id for p, _c, _u in rows]
    if ids:
        for e in session.exec(
            select(Endorsement)
            .where(col(Endorsement.proposal_id).in_(ids))
            .order_by(col(Endorsement.id))
        ):
            latest[e.proposal_id] = e
    return [(p, c, u, latest.get(p.id)) for p, c, u in rows]
