"""Council use cases: forming a council, its fund's rules, appointing and removing members,
activating it. Meetings, attendance, conflicts and quorum are in reviews.councils.meetings."""

from dataclasses import asdict
from datetime import date

from sqlmodel import Session, select

from funds import audit
from funds.accounts.models import User
from funds.accounts.permissions import is_manager
from funds.calls.models import Call, Fund
from funds.calls.permissions import manages_fund
from funds.clock import to_local, utcnow
from funds.errors import N_, InvalidTransition, NotFound, RuleViolation
from funds.legal.models import LegalInstrument
from funds.notifications.services import notify
from funds.rules import Violation
from reviews.councils.errors import CompositionIncomplete, EligibilityWarnings
from reviews.councils.models import (
    BallotKind,
    Council,
    CouncilKind,
    CouncilRole,
    CouncilRules,
    CouncilSeat,
    CouncilStatus,
    Represents,
)
from reviews.councils.permissions import (
    can_change_members,
    can_edit_council_rules,
    can_manage_council,
    is_member,
)
from reviews.councils.queries import (
    active_seats,
    council_spec,
    eligibility_of,
    fund_id_of_award,
    rule_spec,
    seat_of,
    standing_terms,
    stored_rules,
)
from reviews.councils.rules import (
    COUNCIL,
    DEFAULTS,
    CouncilRuleSpec,
    composition_problems,
    format_roles,
    term_end_default,
    term_problems,
)
from reviews.pool.permissions import is_reviewer

__all__ = [
    "accept_council_confidentiality",
    "activate_council",
    "appoint_member",
    "composition",
    "create_council",
    "dissolve_council",
    "get_council_for",
    "managed_council",
    "remove_member",
    "rule_spec",
    "update_council_rules",
]


def managed_council(session: Session, *, council_id: int, actor: User) -> tuple[Council, Fund]:
    """The council and its fund if the actor manages the fund; otherwise NotFound."""
    council = session.get(Council, council_id)
    fund = session.get(Fund, council.fund_id) if council else None
    if council is None or fund is None or not can_manage_council(fund, actor):
        raise NotFound(N_("No such council."))
    return council, fund


def get_council_for(session: Session, *, council_id: int, actor: User) -> Council:
    """The council if the actor manages its fund or sits on it; otherwise NotFound."""
    council = session.get(Council, council_id)
    fund = session.get(Fund, council.fund_id) if council else None
    if council is None or fund is None:
        raise NotFound(N_("No such council."))
    if not (manages_fund(actor, fund) or is_member(seat_of(session, council.id, actor.id), actor)):
        raise NotFound(N_("No such council."))
    return council


def composition(session: Session, council: Council) -> list[Violation]:
    """What keeps the council's present members from meeting its rules."""
    roles = [s.role for s in active_seats(session, council.id)]
    return composition_problems(council_spec(session, council), roles)


def create_council(
    session: Session,
    *,
    actor: User,
    fund_id: int,
    kind: str,
    name: str,
    call_id: int | None = None,
    award_id: int | None = None,
    discipline: str = "",
    formed_by: str = "",
    formed_on: date | None = None,
) -> Council:
    """A manager of the fund forms a council for a call (selection), a project (mid-term,
    acceptance) or a discipline (a standing committee, one council per term)."""
    fund = session.get(Fund, fund_id)
    if fund is None or not can_manage_council(fund, actor):
        raise NotFound(N_("No such fund."))
    if kind not in set(CouncilKind):
        raise _refused("kind", N_("Choose the kind of council."))
    if not name.strip():
        raise _refused("name", N_("Give the council a name."))
    call_id, award_id, discipline = _subject(session, fund, kind, call_id, award_id, discipline)
    council = Council(
        fund_id=fund.id,
        kind=kind,
        name=name.strip(),
        call_id=call_id,
        award_id=award_id,
        discipline=discipline,
        formed_by=formed_by.strip(),
        formed_on=formed_on,
        instrument_code=rule_spec(session, fund.id, kind).instrument,
        created_by=actor.id,
    )
    session.add(council)
    session.flush()
    audit.record(
        session,
        actor_id=actor.id,
        object_type="council",
        object_id=council.id,
        action="create",
        to_state=CouncilStatus.FORMING,
        detail=f"{kind}: {council.name}; formed by {council.formed_by or '—'}",
    )
    return council


def _refused(field: str, message: str, **params) -> RuleViolation:
    """A refusal shown at the form's field it concerns."""
    return RuleViolation(message, [Violation(field, message, params)], **params)


def _subject(session, fund, kind, call_id, award_id, discipline):
    """(call, award, discipline) as the kind needs them: a call of this fund for selection,
    a project of this fund for mid-term and acceptance, a discipline for a standing one."""
    if kind == CouncilKind.SELECTION:
        call = session.get(Call, call_id) if call_id else None
        if call is None or call.fund_id != fund.id:
            raise _refused(
                "call_id", N_("A selection council is formed for one of the fund's calls.")
            )
        return call.id, None, ""
    if kind in (CouncilKind.MIDTERM, CouncilKind.ACCEPTANCE):
        if not award_id or fund_id_of_award(session, award_id) != fund.id:
            raise _refused(
                "award_id",
                N_("A mid-term or acceptance council is formed for one of the fund's projects."),
            )
        return None, award_id, ""
    if not discipline.strip():
        raise _refused("discipline", N_("A standing committee is formed for a discipline."))
    return None, None, discipline.strip()


def update_council_rules(
    session: Session, *, actor: User, fund_id: int, kind: str, spec: CouncilRuleSpec
) -> CouncilRules:
    """A manager of the fund (or an administrator) sets the fund's rules for one kind of
    council; the legal basis is kept with them (an instrument, or the article relied on)."""
    fund = session.get(Fund, fund_id)
    if fund is None or not can_edit_council_rules(fund, actor):
        raise NotFound(N_("No such fund."))
    if kind not in set(CouncilKind):
        raise _refused("kind", N_("Choose the kind of council."))
    problems = rules_problems(spec)
    if spec.instrument and session.get(LegalInstrument, spec.instrument) is None:
        problems.append(Violation("instrument", N_("No such legal instrument.")))
    if problems:
        raise RuleViolation(N_("Check the council rules."), problems)
    row = stored_rules(session, fund.id, kind)
    before = asdict(rule_spec(session, fund.id, kind))
    row = row or CouncilRules(fund_id=fund.id, kind=kind)
    row.min_members, row.max_members = spec.min_members, spec.max_members
    row.required_roles = format_roles(spec.required_roles)
    row.quorum_num, row.quorum_den = spec.quorum.numerator, spec.quorum.denominator
    row.quorum_needs_chair = spec.quorum_needs_chair
    row.quorum_needs_secretary = spec.quorum_needs_secretary
    row.pass_num, row.pass_den = spec.pass_share.numerator, spec.pass_share.denominator
    row.pass_strict, row.ballot = spec.pass_strict, spec.ballot
    row.min_average_pct, row.criterion_minimums = spec.min_average_pct, spec.criterion_minimums
    row.sheets_after_close = spec.sheets_after_close
    row.term_years, row.max_consecutive_terms = spec.term_years, spec.max_consecutive_terms
    row.instrument_code, row.article = spec.instrument or None, spec.article.strip()
    row.updated_at, row.updated_by = utcnow(), actor.id
    session.add(row)
    session.flush()
    after = asdict(rule_spec(session, fund.id, kind))
    changed = {k: (str(before[k]), str(v)) for k, v in after.items() if before[k] != v}
    audit.record(
        session,
        actor_id=actor.id,
        object_type="council_rules",
        object_id=row.id,
        action="update",
        detail=f"fund {fund.id}, {kind}: {changed}",
    )
    return row


def rules_problems(spec: CouncilRuleSpec) -> list[Violation]:
    """The shape of a fund's council rules: sizes, shares, roles, ballot, terms, legal basis."""
    found = []
    if not 1 <= spec.min_members <= spec.max_members <= 50:
        found.append(
            Violation("max_members", N_("The size goes from 1 to 50 members, at least to at most."))
        )
    known = set(CouncilRole)
    if any(role not in known or n < 1 for role, n in spec.required_roles):
        found.append(
            Violation(
                "required_roles",
                N_(
                    "Required roles are chair, vice_chair, secretary, reviewer_member and "
                    "member, each with an optional *count."
                ),
            )
        )
    elif sum(n for _, n in spec.required_roles) > spec.max_members:
        found.append(
            Violation(
                "required_roles", N_("The required roles need more seats than the council has.")
            )
        )
    if not 0 < spec.quorum <= 1:
        found.append(Violation("quorum", N_("The quorum is a share between 0 and 1.")))
    if not 0 < spec.pass_share <= 1:
        found.append(Violation("pass_share", N_("The pass share is a share between 0 and 1.")))
    if spec.ballot not in set(BallotKind):
        found.append(Violation("ballot", N_("The ballot is secret or open.")))
    if spec.min_average_pct is not None and not 0 <= spec.min_average_pct <= 100:
        found.append(
            Violation("min_average_pct", N_("The mean score threshold goes from 0 to 100%."))
        )
    if not 1 <= spec.term_years <= 10 or not 1 <= spec.max_consecutive_terms <= 10:
        found.append(Violation("term_years", N_("Terms last 1 to 10 years, 1 to 10 in a row.")))
    if not (spec.instrument or spec.article.strip()):
        found.append(
            Violation("article", N_("Give the legal basis: an instrument or the rule relied on."))
        )
    if len(spec.article) > 120:
        found.append(Violation("article", N_("The legal basis has at most 120 characters.")))
    return found


def appoint_member(
    session: Session,
    *,
    actor: User,
    council_id: int,
    user_id: int,
    role: str,
    represents: str = "none",
    term_start: date | None = None,
    term_end: date | None = None,
    override_reason: str = "",
) -> CouncilSeat:
    """A manager of the fund appoints a member of the reviewer pool (or one of the fund's
    managers) to a seat; eligibility warnings from the profile need the manager's reason;
    a standing committee's member serves a term and at most the consecutive terms allowed."""
    council, fund = managed_council(session, council_id=council_id, actor=actor)
    if not can_change_members(council, fund, actor):
        raise InvalidTransition(N_("A dissolved council has no members to change."))
    user = session.get(User, user_id)
    if (
        user is None
        or not user.is_active
        or not (is_reviewer(user) or (is_manager(user) and manages_fund(user, fund)))
    ):
        raise _refused("user_id", N_("Members come from the reviewer pool or the fund's managers."))
    if role not in set(CouncilRole):
        raise _refused("role", N_("Choose the member's role."))
    if represents not in set(Represents):
        raise _refused("represents", N_("Choose whom the member represents."))
    spec = council_spec(session, council)
    seats = active_seats(session, council.id)
    if any(s.user_id == user.id for s in seats):
        raise _refused("user_id", N_("This person already sits on the council."))
    if role in (CouncilRole.CHAIR, CouncilRole.SECRETARY) and any(s.role == role for s in seats):
        raise _refused("role", N_("A council has one %(role)s."), role=role)
    if len(seats) >= spec.max_members:
        raise _refused(
            "user_id", N_("The council already has its %(max)s members."), max=spec.max_members
        )
    term_start, term_end = _term(session, council, spec, user.id, term_start, term_end)
    warnings = eligibility_of(session, user.id).warnings
    if warnings and not override_reason.strip():
        raise EligibilityWarnings(
            [Violation("override_reason", w.message, w.params) for w in warnings]
        )
    seat = _seat_for(session, council.id, user.id, actor.id)
    seat.role, seat.represents, seat.active = role, represents, True
    seat.term_start, seat.term_end = term_start, term_end
    seat.eligibility_override = override_reason.strip()[:2000] if warnings else ""
    seat.appointed_by, seat.appointed_at = actor.id, utcnow()
    session.add(seat)
    session.flush()
    detail = f"user {user.id} as {role}"
    if warnings:
        detail += f"; eligibility warnings overridden: {seat.eligibility_override}"
    audit.record(
        session,
        actor_id=actor.id,
        object_type="council_seat",
        object_id=seat.id,
        action="appoint",
        to_state=role,
        detail=detail,
    )
    notify(
        session,
        kind="council_appointed",
        user_id=user.id,
        object_type="council",
        object_id=council.id,
        params={"council": council.name},
        actor_id=actor.id,
    )
    from reviews.councils.meetings.services import refresh_council_conflicts

    refresh_council_conflicts(session, council.id)
    return seat


def _seat_for(session: Session, council_id: int, user_id: int, actor_id: int) -> CouncilSeat:
    """The person's seat on the council, an earlier (removed) one reused: one seat per person."""
    found = session.exec(
        select(CouncilSeat).where(
            CouncilSeat.council_id == council_id, CouncilSeat.user_id == user_id
        )
    ).first()
    return found or CouncilSeat(
        council_id=council_id, user_id=user_id, role=CouncilRole.MEMBER, appointed_by=actor_id
    )


def _term(session, council, spec, user_id, start, end):
    """A standing committee's seat has a term (default: the rules' term_years from the day the
    council was formed, or today) and respects the limit of consecutive terms; other councils
    have no terms."""
    if council.kind != CouncilKind.STANDING:
        return None, None
    start = start or council.formed_on or to_local(utcnow()).date()
    end = end or term_end_default(start, spec.term_years)
    if end <= start:
        raise _refused("term_end", N_("A term ends after it starts."))
    if end > term_end_default(start, spec.term_years):
        raise _refused(
            "term_end", N_("A term lasts at most %(years)s years."), years=spec.term_years
        )
    earlier = standing_terms(
        session,
        fund_id=council.fund_id,
        discipline=council.discipline,
        user_id=user_id,
        other_than=council.id,
    )
    problems = term_problems(spec, earlier, start)
    if problems:
        raise RuleViolation(problems[0].message, problems, **problems[0].params)
    return start, end


def remove_member(session: Session, *, actor: User, seat_id: int, reason: str = "") -> CouncilSeat:
    """A manager of the fund ends a member's seat (kept, inactive, for the record); a member
    who has sat at a meeting that closed stays in its minutes."""
    seat = session.get(CouncilSeat, seat_id)
    if seat is None or not seat.active:
        raise NotFound(N_("No such member."))
    council, fund = managed_council(session, council_id=seat.council_id, actor=actor)
    if not can_change_members(council, fund, actor):
        raise InvalidTransition(N_("A dissolved council has no members to change."))
    seat.active = False
    session.add(seat)
    audit.record(
        session,
        actor_id=actor.id,
        object_type="council_seat",
        object_id=seat.id,
        action="remove",
        from_state=seat.role,
        detail=f"user {seat.user_id}: {reason.strip()}"[:4000],
    )
    session.flush()
    return seat


def activate_council(session: Session, *, actor: User, council_id: int) -> Council:
    """The council starts work once its composition meets the fund's rules."""
    council, _fund = managed_council(session, council_id=council_id, actor=actor)
    COUNCIL.check(council.status, CouncilStatus.ACTIVE)
    problems = composition(session, council)
    if problems:
        raise CompositionIncomplete(problems)
    before = COUNCIL.move(council, CouncilStatus.ACTIVE)
    session.add(council)
    audit.record(
        session,
        actor_id=actor.id,
        object_type="council",
        object_id=council.id,
        action="activate",
        from_state=before,
        to_state=council.status,
    )
    session.flush()
    return council


def dissolve_council(session: Session, *, actor: User, council_id: int) -> Council:
    """The fund dissolves the council (its work done, or formed in error)."""
    council, _fund = managed_council(session, council_id=council_id, actor=actor)
    before = COUNCIL.move(council, CouncilStatus.DISSOLVED)
    session.add(council)
    audit.record(
        session,
        actor_id=actor.id,
        object_type="council",
        object_id=council.id,
        action="dissolve",
        from_state=before,
        to_state=council.status,
    )
    session.flush()
    return council


def accept_council_confidentiality(
    session: Session, *, actor: User, council_id: int
) -> CouncilSeat:
    """A member accepts the council's confidentiality statement before seeing any item's
    material (as a reviewer does before a proposal)."""
    seat = seat_of(session, council_id, actor.id)
    if not is_member(seat, actor) or seat is None:
        raise NotFound(N_("No such council."))
    if seat.confidentiality_accepted_at is None:
        seat.confidentiality_accepted_at = utcnow()
        session.add(seat)
        audit.record(
            session,
            actor_id=actor.id,
            object_type="council_seat",
            object_id=seat.id,
            action="accept_confidentiality",
        )
        session.flush()
    return seat


def default_rules(kind: str) -> CouncilRuleSpec:
    return DEFAULTS[CouncilKind(kind)]
