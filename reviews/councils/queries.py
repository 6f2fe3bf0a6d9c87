"""Read models of councils: a fund's rules as plain values, councils and their seats."""

from dataclasses import dataclass
from fractions import Fraction

from sqlmodel import Session, col, select

from funds.accounts.models import Role, User, UserRole
from funds.calls.models import Call, FundManager
from funds.clock import to_local, utcnow
from funds.profiles.models import Profile, Publication
from funds.projects.models import Award
from funds.proposals.models import Proposal
from reviews.councils.models import Council, CouncilKind, CouncilRules, CouncilSeat
from reviews.councils.rules import DEFAULTS, CouncilRuleSpec, Eligibility, eligibility, parse_roles


def rule_spec(session: Session, fund_id: int, kind: str) -> CouncilRuleSpec:
    """The fund's rules for this kind of council: its CouncilRules row, else the defaults."""
    row = stored_rules(session, fund_id, kind)
    return DEFAULTS[CouncilKind(kind)] if row is None else spec_of(row)


def stored_rules(session: Session, fund_id: int, kind: str) -> CouncilRules | None:
    return session.exec(
        select(CouncilRules).where(CouncilRules.fund_id == fund_id, CouncilRules.kind == kind)
    ).first()


def spec_of(row: CouncilRules) -> CouncilRuleSpec:
    """A stored row as the rules take it."""
    return CouncilRuleSpec(
        kind=row.kind,
        min_members=row.min_members,
        max_members=row.max_members,
        required_roles=parse_roles(row.required_roles),
        quorum=Fraction(row.quorum_num, row.quorum_den),
        quorum_needs_chair=row.quorum_needs_chair,
        quorum_needs_secretary=row.quorum_needs_secretary,
        pass_share=Fraction(row.pass_num, row.pass_den),
        pass_strict=row.pass_strict,
        ballot=row.ballot,
        min_average_pct=row.min_average_pct,
        criterion_minimums=row.criterion_minimums,
        sheets_after_close=row.sheets_after_close,
        term_years=row.term_years,
        max_consecutive_terms=row.max_consecutive_terms,
        instrument=row.instrument_code,
        article=row.article,
    )


def council_spec(session: Session, council: Council) -> CouncilRuleSpec:
    """The rules the council works under: its fund's for its kind."""
    return rule_spec(session, council.fund_id, council.kind)


def active_seats(session: Session, council_id: int) -> list[CouncilSeat]:
    """The council's members now (a removed member's seat stays, inactive, for the record)."""
    return list(
        session.exec(
            select(CouncilSeat)
            .where(CouncilSeat.council_id == council_id, col(CouncilSeat.active))
            .order_by(col(CouncilSeat.id))
        ).all()
    )


@dataclass(frozen=True)
class SeatRow:
    seat: CouncilSeat
    user: User


ROLE_ORDER = ("chair", "vice_chair", "secretary", "reviewer_member", "member")


def members(session: Session, council_id: int) -> list[SeatRow]:
    """The active seats with their holders, chair first, then by role and name."""
    rows = session.exec(
        select(CouncilSeat, User)
        .join(User, col(User.id) == CouncilSeat.user_id)
        .where(CouncilSeat.council_id == council_id, col(CouncilSeat.active))
    ).all()
    return sorted(
        (SeatRow(s, u) for s, u in rows),
        key=lambda r: (ROLE_ORDER.index(r.seat.role), r.user.name),
    )


def seat_of(session: Session, council_id: int, user_id: int | None) -> CouncilSeat | None:
    """The user's active seat on the council, if any."""
    if user_id is None:
        return None
    return session.exec(
        select(CouncilSeat).where(
            CouncilSeat.council_id == council_id,
            CouncilSeat.user_id == user_id,
            col(CouncilSeat.active),
        )
    ).first()


def councils_of_fund(session: Session, fund_id: int) -> list[Council]:
    return list(
        session.exec(
            select(Council).where(Council.fund_id == fund_id).order_by(col(Council.id).desc())
        ).all()
    )


def councils_of_member(session: Session, user_id: int) -> list[Council]:
    """The councils where the user holds an active seat."""
    return list(
        session.exec(
            select(Council)
            .join(CouncilSeat, col(CouncilSeat.council_id) == Council.id)
            .where(CouncilSeat.user_id == user_id, col(CouncilSeat.active))
            .order_by(col(Council.id).desc())
        ).all()
    )


def councils_of_call(session: Session, call_id: int) -> list[Council]:
    return list(session.exec(select(Council).where(Council.call_id == call_id)).all())


def councils_of_award(session: Session, award_id: int) -> list[Council]:
    return list(session.exec(select(Council).where(Council.award_id == award_id)).all())


def fund_id_of_call(session: Session, call_id: int) -> int | None:
    call = session.get(Call, call_id)
    return call.fund_id if call else None


def fund_id_of_award(session: Session, award_id: int) -> int | None:
    award = session.get(Award, award_id)
    proposal = session.get(Proposal, award.proposal_id) if award else None
    return proposal.call.fund_id if proposal else None


def standing_terms(
    session: Session, *, fund_id: int, discipline: str, user_id: int, other_than: int
) -> list[tuple]:
    """A member's earlier terms on the fund's standing committees of the same discipline
    (each term of a standing committee is a council of its own)."""
    rows = session.exec(
        select(CouncilSeat)
        .join(Council, col(Council.id) == CouncilSeat.council_id)
        .where(
            Council.fund_id == fund_id,
            Council.kind == CouncilKind.STANDING,
            Council.discipline == discipline,
            Council.id != other_than,
            CouncilSeat.user_id == user_id,
        )
    ).all()
    return [(s.term_start, s.term_end) for s in rows if s.term_start and s.term_end]


def eligibility_of(session: Session, user_id: int) -> Eligibility:
    """What the member's profile shows: academic title, publications in the last 5 years."""
    profile = session.exec(select(Profile).where(Profile.user_id == user_id)).first()
    years = list(session.exec(select(Publication.year).where(Publication.user_id == user_id)).all())
    return eligibility(profile.title if profile else "", years, to_local(utcnow()).year)


def appointable(session: Session, council: Council) -> list[User]:
    """Who may be appointed: active members of the reviewer pool (experts, invited ones once
    they have accepted) and the fund's own managers (a scientific secretary is often staff),
    without those already seated."""
    seated = select(CouncilSeat.user_id).where(
        CouncilSeat.council_id == council.id, col(CouncilSeat.active)
    )
    staff = select(FundManager.user_id).where(FundManager.fund_id == council.fund_id)
    pool = select(UserRole.user_id).where(UserRole.role == Role.REVIEWER)
    return list(
        session.exec(
            select(User)
            .where(
                col(User.is_active),
                col(User.id).not_in(seated),
                col(User.id).in_(pool) | col(User.id).in_(staff),
            )
            .order_by(User.name)
        ).all()
    )


def fund_projects(session: Session, fund_id: int) -> list[tuple[Award, Proposal]]:
    """The fund's projects with their proposals, newest first (for mid-term and acceptance)."""
    return list(
        session.exec(
            select(Award, Proposal)
            .join(Proposal, col(Proposal.id) == Award.proposal_id)
            .join(Call, col(Call.id) == Proposal.call_id)
            .where(Call.fund_id == fund_id)
            .order_by(col(Award.id).desc())
        ).all()
    )


def fund_calls(session: Session, fund_id: int) -> list[Call]:
    return list(
        session.exec(
            select(Call).where(Call.fund_id == fund_id).order_by(col(Call.opens_at).desc())
        ).all()
    )
