"""A fund's managers (or an administrator) set the fund's criteria for acceptance or
mid-term rating sheets: add, change, remove and reorder them in one audited change."""

from collections.abc import Sequence
from dataclasses import asdict

from sqlmodel import Session

from funds import audit
from funds.accounts.models import User
from funds.calls.models import Fund
from funds.errors import N_, NotFound, RuleViolation
from funds.rules import Violation
from reviews.councils.criteria.queries import fund_criteria, stored_criteria, unfixed_rated_items
from reviews.councils.criteria.rules import CriterionInput, criteria_problems, dump_snapshot
from reviews.councils.models import CouncilCriterion, SheetKind
from reviews.councils.permissions import can_edit_council_rules


def set_council_criteria(
    session: Session,
    *,
    actor: User,
    fund_id: int,
    kind: str,
    criteria: Sequence[CriterionInput],
    basis: str,
) -> list[CouncilCriterion]:
    """Replace the fund's criteria of this kind by `criteria`, in their order (the first
    change copies nothing: the rows are what was typed, the defaults shown prefilled). Items
    already rated keep the criteria their sheets were scored on; audited before and after,
    with the legal basis or the fund's own rule."""
    fund = session.get(Fund, fund_id)
    if fund is None or not can_edit_council_rules(fund, actor):
        raise NotFound(N_("No such fund."))
    if kind not in set(SheetKind):
        message = N_("Acceptance and mid-term councils have criteria of the fund's own.")
        raise RuleViolation(message, [Violation("kind", message)])
    problems = criteria_problems(criteria, basis)
    if problems:
        raise RuleViolation(N_("Check the criteria."), problems)
    before = fund_criteria(session, fund.id, kind)
    for item in unfixed_rated_items(session, fund.id, kind):
        item.sheet_criteria = dump_snapshot(before)  # sheets saved before items kept them
        session.add(item)
    rows = _replace(session, fund.id, kind, criteria, basis.strip())
    after = fund_criteria(session, fund.id, kind)
    audit.record(
        session,
        actor_id=actor.id,
        object_type="council_criteria",
        object_id=fund.id,
        action="update",
        detail=_detail(kind, basis.strip(), before, after)[:4000],
    )
    session.flush()
    return rows


def _replace(session, fund_id, kind, criteria, basis) -> list[CouncilCriterion]:
    """The fund's rows rewritten in order: existing rows reused, the surplus removed."""
    rows = stored_criteria(session, fund_id, kind)
    for extra in rows[len(criteria) :]:
        session.delete(extra)
    out = []
    for n, c in enumerate(criteria):
        row = rows[n] if n < len(rows) else CouncilCriterion(fund_id=fund_id, kind=kind, name="")
        row.position, row.name, row.description = n, c.name.strip(), c.description.strip()
        row.weight, row.scale_max, row.threshold = c.weight, c.scale_max, c.threshold
        row.basis = basis
        session.add(row)
        out.append(row)
    session.flush()
    return out


def _detail(kind: str, basis: str, before, after) -> str:
    """The audit entry: the kind, the basis, the criteria before and after (without ids,
    descriptions shortened)."""

    def plain(criteria):
        return [
            {**{k: v for k, v in asdict(c).items() if k != "id"}, "description": c.description[:60]}
            for c in criteria
        ]

    return f"{kind}; basis: {basis}; before: {plain(before)}; after: {plain(after)}"
