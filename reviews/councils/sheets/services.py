"""Rating sheet use cases: a member saves (autosave) and submits their sheet; the council's
ranking of a meeting's concluded selection items by the members' mean score."""

from sqlmodel import Session, select

from funds import audit
from funds.accounts.models import User
from funds.clock import utcnow
from funds.errors import N_, InvalidTransition, NotAllowed, RuleViolation, StaleEdit
from reviews.consolidation.rules import Ranked, rank_proposals
from reviews.councils.criteria.rules import dump_snapshot
from reviews.councils.meetings.models import (
    ItemStatus,
    Meeting,
    MeetingItem,
    RatingSheet,
    SheetStatus,
)
from reviews.councils.models import Council, CouncilKind
from reviews.councils.sheets.permissions import can_fill_sheet, takes_part
from reviews.councils.sheets.queries import (
    item_context,
    item_criteria,
    meeting_reviews,
    sheet_form,
    sheet_of,
)
from reviews.councils.sheets.rules import (
    IndicatorCheck,
    dump_checks,
    dump_scores,
    sheet_violations,
)

RANKED_KINDS = frozenset({CouncilKind.SELECTION, CouncilKind.STANDING})


def save_sheet(
    session: Session,
    *,
    actor: User,
    item_id: int,
    scores: dict[int, int | None],
    opinion: str,
    indicator_checks: dict | None = None,
    version_id: int,
    submit: bool = False,
) -> RatingSheet:
    """Save (autosave) or submit the member's own sheet on the item. `version_id` is the
    version the member started from (0 for a new sheet): a save based on an older one is
    refused (StaleEdit) and overwrites nothing. Submitted once, then read-only."""
    ctx = item_context(session, actor=actor, item_id=item_id)
    _check_member(ctx, actor)
    seat_id = ctx.seat.id  # type: ignore[union-attr]
    sheet = sheet_of(session, item_id, seat_id)
    if not can_fill_sheet(ctx, sheet, actor):
        raise InvalidTransition(
            N_("Your sheet on this item has been submitted and cannot change.")
            if sheet is not None and sheet.status == SheetStatus.SUBMITTED
            else N_("Sheets are filled while the item is deliberated or voted on.")
        )
    if (sheet.version_id if sheet else 0) != version_id:
        raise StaleEdit(
            N_(
                "Your sheet was saved elsewhere (another tab or device) after you opened "
                "it. Nothing was overwritten: what you typed is kept below."
            )
        )
    form = sheet_form(session, ctx)
    checks = _checks(indicator_checks or {}, {i.id for i in form.indicators})
    known = {c.id for c in form.criteria}
    given = {k: v for k, v in scores.items() if k in known}
    problems = sheet_violations(
        form.criteria, given, opinion, checks, [i.id for i in form.indicators], final=submit
    )
    if problems:
        raise RuleViolation(N_("The sheet cannot be saved as it is."), problems)
    _keep_criteria(session, ctx)
    sheet = sheet or RatingSheet(item_id=item_id, seat_id=seat_id, version_id=0)
    sheet.scores, sheet.indicator_checks = dump_scores(given), dump_checks(checks)
    sheet.opinion, sheet.updated_at = opinion, utcnow()
    sheet.version_id += 1
    if submit:
        sheet.status, sheet.submitted_at = SheetStatus.SUBMITTED, utcnow()
    session.add(sheet)
    session.flush()
    audit.record(
        session,
        actor_id=actor.id,
        object_type="rating_sheet",
        object_id=sheet.id,
        action="submit" if submit else "save",
        to_state=sheet.status,
        detail=f"item {item_id}",
    )
    session.flush()
    return sheet


def _keep_criteria(session: Session, ctx) -> None:
    """The first sheet saved fixes the criteria of the item's sheets: a later change of the
    fund's criteria or the call's rubric never changes what a sheet's scores mean."""
    if not ctx.item.sheet_criteria:
        ctx.item.sheet_criteria = dump_snapshot(item_criteria(session, ctx.council, ctx.item))
        session.add(ctx.item)


def _check_member(ctx, actor: User) -> None:
    """A member taking part in the item: present and not conflicted."""
    if ctx.seat is None:
        raise NotAllowed(N_("Only the council's members fill rating sheets."))
    if not takes_part(ctx, actor):
        raise NotAllowed(
            N_(
                "Only members present at the meeting and without a conflict of interest on "
                "this item take part in it."
            )
        )


def _checks(raw: dict, indicator_ids: set[int]) -> dict[int, IndicatorCheck]:
    """The indicator checks sent, for this item's indicators only: {id: {met, measured}}."""
    out = {}
    for key, value in raw.items():
        ident = int(key)
        if ident not in indicator_ids:
            continue
        if isinstance(value, IndicatorCheck):
            out[ident] = value
        else:
            measured = str(value.get("measured") or "").strip()[:200]
            out[ident] = IndicatorCheck(value.get("met"), measured)
    return out


def council_ranking(session: Session, *, meeting_id: int) -> list[Ranked]:
    """Rank the meeting's concluded selection items by the members' mean score (peer
    review's ranking: equal scores share a rank and are marked tied, never broken by id)
    and store each item's MeetingItem.council_rank (None for items not ranked)."""
    meeting = session.get_one(Meeting, meeting_id)
    council = session.get_one(Council, meeting.council_id)
    items = list(session.exec(select(MeetingItem).where(MeetingItem.meeting_id == meeting_id)))
    concluded = {i.id for i in items if i.status == ItemStatus.CONCLUDED}
    if council.kind not in RANKED_KINDS:
        return []
    reviews = [r for r in meeting_reviews(session, meeting_id) if r.proposal_id in concluded]
    ranked = rank_proposals(reviews, {})
    ranks = {r.proposal_id: r.rank for r in ranked}
    for item in items:
        if item.council_rank != ranks.get(item.id):
            item.council_rank = ranks.get(item.id)
            session.add(item)
    session.flush()
    return ranked
