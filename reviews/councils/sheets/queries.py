"""Read models of rating sheets: an item with everything its sheets and votes depend on, the
criteria of its sheet, the sheets themselves, and the summary table with peer review's
calibration and disagreement flags."""

from dataclasses import dataclass, field
from fractions import Fraction

from sqlmodel import Session, col, select

from funds.accounts.models import User
from funds.projects.models import Award
from funds.projects.regimes.models import QualityIndicator
from funds.projects.regimes.services import quality_indicators
from funds.proposals.models import Proposal
from reviews.consolidation.rules import Ranked, ScoredReview, criterion_means, rank_proposals
from reviews.councils.criteria.queries import fund_criteria
from reviews.councils.criteria.rules import SheetCriterion, described, load_snapshot
from reviews.councils.meetings.models import (
    MeetingItem,
    RatingSheet,
    SheetStatus,
)
from reviews.councils.meetings.queries import ItemAccess, item_access, voters
from reviews.councils.models import Council, CouncilKind, CouncilSeat
from reviews.councils.queries import council_spec
from reviews.councils.rules import CouncilRuleSpec
from reviews.councils.sheets.rules import (
    OVERALL,
    anonymised,
    anonymous_order,
    as_review,
    label_of,
    load_scores,
    sheet_total_bp,
)
from reviews.rubric.rules import CriterionRule
from reviews.rubric.services import criteria_of, rubric_for_call, rules_of


@dataclass(frozen=True)
class ItemContext(ItemAccess):
    """An item the actor may see, with the council's rules and who takes part in it."""

    spec: CouncilRuleSpec = field(default=None)  # type: ignore[assignment]
    voter_ids: frozenset[int] = frozenset()  # present and not conflicted

    @property
    def kind(self) -> str:
        return self.council.kind


def item_context(session: Session, *, actor: User, item_id: int) -> ItemContext:
    """The item if the actor sits on its council or manages its fund; otherwise NotFound."""
    a = item_access(session, actor=actor, item_id=item_id)
    return ItemContext(
        a.item,
        a.meeting,
        a.council,
        a.seat,
        a.manages,
        spec=council_spec(session, a.council),
        voter_ids=frozenset(s.id for s in voters(session, a.item)),
    )


@dataclass(frozen=True)
class SheetForm:
    """What a sheet asks for on this item: criteria to score, indicators to check."""

    criteria: list[CriterionRule]
    indicators: list[QualityIndicator]
    rubric_based: bool  # the call's own rubric (names as the fund typed them)
    descriptions: dict[int, str] = field(default_factory=dict)


def sheet_form(session: Session, ctx: ItemContext) -> SheetForm:
    """Acceptance: the fund's acceptance criteria and each contracted quality indicator;
    mid-term: the fund's mid-term criteria; selection: the call's rubric (one overall score
    when the call has none). Once a sheet is saved, the criteria the item keeps."""
    criteria = item_criteria(session, ctx.council, ctx.item)
    indicators = []
    if ctx.kind == CouncilKind.ACCEPTANCE:
        indicators = quality_indicators(session, _award_id(session, ctx.item))
    return SheetForm(
        [c.rule for c in criteria],
        indicators,
        ctx.kind not in (CouncilKind.ACCEPTANCE, CouncilKind.MIDTERM),
        {c.id: c.description for c in criteria},
    )


def item_criteria(session: Session, council: Council, item: MeetingItem) -> list[SheetCriterion]:
    """The criteria the item's sheets are scored on: those it keeps since its first sheet
    was saved, else its fund's (acceptance, mid-term) or its call's rubric (selection)."""
    kept = load_snapshot(item.sheet_criteria)
    if kept is not None:
        return kept
    if council.kind in (CouncilKind.ACCEPTANCE, CouncilKind.MIDTERM):
        return fund_criteria(session, council.fund_id, council.kind)
    proposal = session.get_one(Proposal, item.proposal_id)
    rubric = rubric_for_call(session, proposal.call_id)
    if rubric is None:
        return described(OVERALL, {})
    rows = criteria_of(session, rubric)
    return described(rules_of(rows), {c.id: c.description for c in rows})


def _award_id(session: Session, item: MeetingItem) -> int:
    if item.award_id is not None:
        return item.award_id
    award = session.exec(select(Award).where(Award.proposal_id == item.proposal_id)).one()
    return award.id


def sheet_of(session: Session, item_id: int, seat_id: int) -> RatingSheet | None:
    return session.exec(
        select(RatingSheet).where(RatingSheet.item_id == item_id, RatingSheet.seat_id == seat_id)
    ).first()


def sheets_of(session: Session, item_id: int, *, submitted: bool = True) -> list[RatingSheet]:
    stmt = select(RatingSheet).where(RatingSheet.item_id == item_id)
    if submitted:
        stmt = stmt.where(RatingSheet.status == SheetStatus.SUBMITTED)
    return list(session.exec(stmt.order_by(col(RatingSheet.seat_id))).all())


@dataclass(frozen=True)
class SheetScores:
    """The members' submitted sheets of an item in consolidation's terms."""

    criteria: list[CriterionRule]
    reviews: list[ScoredReview]

    @property
    def means(self) -> dict[int, Fraction]:
        return criterion_means(self.reviews)

    @property
    def mean_bp(self) -> Fraction | None:
        """The mean of the sheets' totals (= the weighted total of the criterion means)."""
        if not self.reviews:
            return None
        return Fraction(sum(r.total_bp for r in self.reviews), len(self.reviews))


def sheet_scores(session: Session, ctx: ItemContext) -> SheetScores:
    criteria = sheet_form(session, ctx).criteria
    return SheetScores(
        criteria,
        [
            as_review(ctx.item.id, s.seat_id, criteria, load_scores(s.scores))
            for s in sheets_of(session, ctx.item.id)
        ],
    )


def meeting_reviews(session: Session, meeting_id: int) -> list[ScoredReview]:
    """Every submitted sheet of the meeting as a scored review, for calibration across the
    meeting (a member's severity over all the items they rated) and for the ranking."""
    rows = session.exec(
        select(RatingSheet, MeetingItem)
        .join(MeetingItem, col(MeetingItem.id) == RatingSheet.item_id)
        .where(MeetingItem.meeting_id == meeting_id, RatingSheet.status == SheetStatus.SUBMITTED)
    ).all()
    forms: dict[int, list[CriterionRule]] = {}
    out = []
    for sheet, item in rows:
        if item.id not in forms:
            forms[item.id] = criteria_of_item(session, item)
        out.append(as_review(item.id, sheet.seat_id, forms[item.id], load_scores(sheet.scores)))
    return out


def criteria_of_item(session: Session, item: MeetingItem) -> list[CriterionRule]:
    """The criteria of the item's sheets, as sheet_form gives them to the members."""
    from reviews.councils.meetings.models import Meeting

    meeting = session.get_one(Meeting, item.meeting_id)
    council = session.get_one(Council, meeting.council_id)
    return [c.rule for c in item_criteria(session, council, item)]


def item_standing(session: Session, ctx: ItemContext) -> Ranked | None:
    """The item among the meeting's items by the members' mean score, with peer review's
    calibration and disagreement flag (reviews.consolidation.rules.rank_proposals)."""
    ranked = rank_proposals(meeting_reviews(session, ctx.meeting.id), {})
    return next((r for r in ranked if r.proposal_id == ctx.item.id), None)


@dataclass(frozen=True)
class SheetRow:
    """One member's sheet in a table: named, or labelled A, B, … when anonymised."""

    label: str
    name: str | None
    role: str | None
    submitted: bool
    total_bp: int | None
    scores: dict[int, int]
    opinion: str
    indicator_checks: str = "{}"


@dataclass(frozen=True)
class SheetTable:
    """The sheets an actor may see on an item (rows empty when none), with the item's mean,
    criterion means, calibration and disagreement flag for the secretary and managers."""

    criteria: list[CriterionRule]
    rows: list[SheetRow]
    anonymous: bool
    summary: bool  # the secretary's or a manager's view: every member, submitted or not
    mean_bp: Fraction | None = None
    means: dict[int, Fraction] = field(default_factory=dict)
    standing: Ranked | None = None


def seats_with_users(session: Session, seat_ids: list[int]) -> dict[int, tuple[CouncilSeat, User]]:
    rows = session.exec(
        select(CouncilSeat, User)
        .join(User, col(User.id) == CouncilSeat.user_id)
        .where(col(CouncilSeat.id).in_(seat_ids))
    ).all()
    return {s.id: (s, u) for s, u in rows}


def visible_sheets(session: Session, *, actor: User, item_id: int) -> SheetTable:
    """The sheets the actor may see on the item: the summary of every member's sheet for the
    secretary and the fund's managers; the others' submitted sheets for a member once the
    item is concluded if the fund so rules; nothing otherwise. NotFound for outsiders."""
    from reviews.councils.sheets.permissions import can_see_others, can_see_summary

    ctx = item_context(session, actor=actor, item_id=item_id)
    summary = can_see_summary(ctx, actor)
    form = sheet_form(session, ctx)
    anonymous = anonymised(ctx.spec)
    if not (summary or can_see_others(ctx, actor)):
        return SheetTable(form.criteria, [], anonymous, False)
    sheets = sheets_of(session, item_id, submitted=not summary or anonymous)
    scores = sheet_scores(session, ctx)
    rows = _rows(session, form.criteria, sheets, anonymous)
    if summary and not anonymous:
        rows += _missing(session, ctx, {s.seat_id for s in sheets})
    return SheetTable(
        form.criteria,
        rows,
        anonymous,
        summary,
        scores.mean_bp,
        scores.means,
        item_standing(session, ctx) if summary else None,
    )


def _rows(session, criteria, sheets: list[RatingSheet], anonymous: bool) -> list[SheetRow]:
    people = seats_with_users(session, [s.seat_id for s in sheets])
    rows = []
    for sheet in sheets:
        scores = load_scores(sheet.scores)
        done = sheet.status == SheetStatus.SUBMITTED
        total = sheet_total_bp(criteria, scores) if done else None  # drafts stay private
        seat, user = people[sheet.seat_id]
        rows.append(
            SheetRow(
                "" if anonymous else user.name,
                None if anonymous else user.name,
                None if anonymous else seat.role,
                done,
                total,
                scores if done else {},
                sheet.opinion if done else "",
                sheet.indicator_checks if done else "{}",
            )
        )
    if not anonymous:
        return rows
    order = anonymous_order([(r.total_bp or 0, r.opinion) for r in rows])
    return [
        SheetRow(
            label_of(n),
            None,
            None,
            rows[i].submitted,
            rows[i].total_bp,
            rows[i].scores,
            rows[i].opinion,
            rows[i].indicator_checks,
        )
        for n, i in enumerate(order)
    ]


def _missing(session, ctx: ItemContext, have: set[int]) -> list[SheetRow]:
    """The members taking part who have no sheet yet (named tables only)."""
    ids = sorted(ctx.voter_ids - have)
    people = seats_with_users(session, ids)
    return [
        SheetRow(people[i][1].name, people[i][1].name, people[i][0].role, False, None, {}, "")
        for i in ids
    ]
