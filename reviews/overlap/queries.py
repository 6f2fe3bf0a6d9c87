"""The flagged pairs as the managers see them: each side with what they may read of it."""

from dataclasses import dataclass

from sqlmodel import Session, col, or_, select

from funds.accounts.models import User
from funds.calls.models import Call, FundManager
from funds.errors import N_, NotFound
from funds.proposals.models import Proposal, ProposalStatus
from reviews.overlap.models import OverlapFlag, RegisterTask
from reviews.overlap.permissions import can_decide_flag, can_read_full_text, can_see_flag
from reviews.overlap.rules import DECISION_LABELS

KIND_LABELS = {
    "proposal": N_("Proposal"),
    "project": N_("Funded project"),
    "register": N_("National task register"),
}


@dataclass(frozen=True)
class Side:
    """One side of a pair as the reader may see it; `abstract` None when they may not."""

    kind: str  # a key of KIND_LABELS
    title: str
    title_en: str
    host: str
    fund: str
    call: str
    keywords: str
    abstract: str | None
    proposal_id: int | None = None  # set when the reader manages it (a link to its page)
    code: str = ""  # a register task's code
    years: str = ""


@dataclass(frozen=True)
class FlagRow:
    flag: OverlapFlag
    screened: Side
    other: Side
    same_pi: bool | None  # None for a register task (its PI is a name, not an account)
    can_decide: bool
    decision_label: str | None


def _host(p: Proposal, session: Session) -> str:
    if p.host is not None:
        return p.host.name_vi
    pi = session.get(User, p.pi_id)
    return (pi.institution or "") if pi else ""


def proposal_side(session: Session, p: Proposal, user: User) -> Side:
    full = can_read_full_text(p, user)
    managed = can_decide_flag(p, user)
    return Side(
        kind="project" if p.status == ProposalStatus.FUNDED else "proposal",
        title=p.title,
        title_en=p.title_en or "",
        host=_host(p, session),
        fund=p.call.fund.name,
        call=p.call.title,
        keywords=p.keywords or "",
        abstract=p.abstract if full else None,
        proposal_id=p.id if managed else None,
    )


def register_side(t: RegisterTask) -> Side:
    years = "–".join(str(y) for y in (t.start_year, t.end_year) if y)
    return Side(
        kind="register",
        title=t.title,
        title_en=t.title_en,
        host=t.host,
        fund="",
        call="",
        keywords=t.keywords,
        abstract=t.summary,
        code=t.code,
        years=years,
    )


def _row(session: Session, flag: OverlapFlag, user: User) -> FlagRow | None:
    p = session.get_one(Proposal, flag.proposal_id)
    other = session.get(Proposal, flag.other_proposal_id) if flag.other_proposal_id else None
    if not can_see_flag(p, other, user):
        return None
    if other is not None:
        other_side, same = proposal_side(session, other, user), other.pi_id == p.pi_id
    else:
        other_side, same = register_side(session.get_one(RegisterTask, flag.register_task_id)), None
    return FlagRow(
        flag=flag,
        screened=proposal_side(session, p, user),
        other=other_side,
        same_pi=same,
        can_decide=can_decide_flag(p, user),
        decision_label=DECISION_LABELS.get(flag.decision) if flag.decision else None,  # type: ignore[call-overload]
    )


def flags_for_manager(
    session: Session, user: User, *, undecided_only: bool = False
) -> list[FlagRow]:
    """Every pair with a proposal of a fund the user manages, undecided first, closest first."""
    funds = select(FundManager.fund_id).where(FundManager.user_id == user.id)
    theirs = (
        select(Proposal.id)
        .join(Call, col(Call.id) == Proposal.call_id)
        .where(col(Call.fund_id).in_(funds))
    )
    stmt = select(OverlapFlag).where(
        or_(
            col(OverlapFlag.proposal_id).in_(theirs), col(OverlapFlag.other_proposal_id).in_(theirs)
        )
    )
    if undecided_only:
        stmt = stmt.where(col(OverlapFlag.decision).is_(None))
    flags = session.exec(stmt).all()
    rows = [r for f in flags if (r := _row(session, f, user)) is not None]
    return sorted(rows, key=lambda r: (r.flag.decision is not None, -r.flag.score, r.flag.id))


def flags_for_proposal(session: Session, proposal_id: int, user: User) -> list[FlagRow]:
    """The pairs one proposal takes part in, on either side, that the user may see."""
    flags = session.exec(
        select(OverlapFlag).where(
            or_(
                OverlapFlag.proposal_id == proposal_id, OverlapFlag.other_proposal_id == proposal_id
            )
        )
    ).all()
    rows = [r for f in flags if (r := _row(session, f, user)) is not None]
    return sorted(rows, key=lambda r: -r.flag.score)


def flag_for(session: Session, flag_id: int, user: User) -> FlagRow:
    """One pair, if the user may see it."""
    flag = session.get(OverlapFlag, flag_id)
    row = _row(session, flag, user) if flag is not None else None
    if row is None:
        raise NotFound(N_("No such pair."))
    return row
