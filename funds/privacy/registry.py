"""How each feature exports, keeps and erases what it holds about a person.

A feature registers one `DataPart` naming the tables it answers for. `funds` registers its
own (funds.privacy.parts); `reviews` registers its part from reviews/privacy.py, so funds
never imports reviews. A table that refers to people (a foreign key to user.id, or an
e-mail column) and that no part claims stops an erasure (`unclaimed_tables`): a new table
holding personal data must say how it is erased before anyone can be erased.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Table
from sqlmodel import Session

from funds.accounts.models import User


@dataclass(frozen=True)
class Record:
    """Something an erasure deletes or keeps: what it is, the retention rule it falls under."""

    retention: str  # a key of funds.privacy.rules.RETENTION
    what: str  # a translatable message, e.g. N_("Submitted proposal")
    label: str = ""  # data shown as is: a title, a receipt or contract number, a count


@dataclass
class ErasurePlan:
    """What one erasure does, filled before the parts run and read by all of them."""

    user: User
    tag: str  # the pseudonym's hex tag
    actor: User
    draft_ids: list[int] = field(default_factory=list)  # proposals deleted whole
    files_to_remove: list[str] = field(default_factory=list)  # stored attachment names


@dataclass(frozen=True)
class DataPart:
    name: str
    tables: tuple[str, ...]
    export: Callable[[Session, User], dict] = lambda _s, _u: {}
    deleted: Callable[[Session, User], list[Record]] = lambda _s, _u: []
    kept: Callable[[Session, User], list[Record]] = lambda _s, _u: []
    erase: Callable[[Session, ErasurePlan], None] = lambda _s, _p: None
    order: int = 50  # erasers run in this order: dependants before the rows they refer to


_PARTS: dict[str, DataPart] = {}


def register_part(part: DataPart) -> None:
    """Add or replace a feature's part (registering twice is harmless)."""
    _PARTS[part.name] = part


def parts() -> list[DataPart]:
    return sorted(_PARTS.values(), key=lambda p: (p.order, p.name))


def refers_to_people(table: Table) -> bool:
    """A foreign key to user.id, or a column holding an e-mail address."""
    return any(
        fk.column.table.name == "user" for c in table.columns for fk in c.foreign_keys
    ) or any("email" in c.name for c in table.columns)


def unclaimed_tables(tables: list[Table]) -> list[str]:
    """Tables that refer to people and that no registered part answers for."""
    claimed = {t for p in _PARTS.values() for t in p.tables}
    return sorted(t.name for t in tables if refers_to_people(t) and t.name not in claimed)
