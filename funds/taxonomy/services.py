"""The strategic technology list: seeded from package data, edited by admins."""

import csv
from importlib import resources

from sqlmodel import Session

from funds import audit
from funds.accounts.models import User
from funds.accounts.permissions import can_administer
from funds.errors import N_, NotAllowed, NotFound, RuleViolation
from funds.rules import Violation
from funds.taxonomy.models import StrategicTechnology


def seed_rows() -> list[dict]:
    """The shipped list (Decision 1131/QĐ-TTg 2025; Resolution 57-NQ/TW §III.3)."""
    text = resources.files("funds.data").joinpath("strategic_technologies.csv").read_text("utf-8")
    return [dict(row) for row in csv.DictReader(text.splitlines())]


def update_area(
    session: Session,
    *,
    actor: User,
    code: str,
    name_vi: str,
    name_en: str,
    source: str,
    active: bool,
    effective_from: int | None = None,
    effective_to: int | None = None,
) -> StrategicTechnology:
    """An admin edits one group, including the fiscal years it is on the strategic list
    (its list version); the change is audited. An inactive group counts for no year."""
    if not can_administer(actor):
        raise NotAllowed(N_("Only administrators can edit the strategic technology list."))
    area = session.get(StrategicTechnology, code)
    if area is None:
        raise NotFound(N_("No such strategic area."))
    if effective_from and effective_to and effective_to < effective_from:
        raise RuleViolation(
            N_("The period must end after it starts."),
            [Violation("effective_to", N_("The period must end after it starts."))],
        )
    before = "active" if area.active else "inactive"
    area.effective_from, area.effective_to = effective_from, effective_to
    area.name_vi, area.name_en, area.source, area.active = (
        name_vi.strip(),
        name_en.strip(),
        source.strip(),
        active,
    )
    session.add(area)
    audit.record(
        session,
        actor_id=actor.id,
        object_type="strategic_technology",
        object_id=0,
        action="update",
        from_state=before,
        to_state="active" if active else "inactive",
        detail=f"{code} {effective_from or '…'}–{effective_to or '…'}",
    )
    session.flush()
    return area
