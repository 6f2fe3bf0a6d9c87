"""State machines: each status column's states, their allowed moves and labels, written once.

A feature declares its machine in its rules.py (`AWARD = Machine(...)`); services move an
object through `machine.move(obj, target)`, which refuses a move the table does not allow
with InvalidTransition; predicates ask `machine.can_move(...)`; the web layer shows
`machine.label(state)` (a msgid, translated there). Database columns keep the plain string
values, so a state is compared and stored as the string it always was.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Generic, TypeVar

from funds.errors import N_, InvalidTransition

S = TypeVar("S", bound=StrEnum)

REFUSED = N_("This step is not possible in the current state.")


@dataclass(frozen=True)
class Machine(Generic[S]):
    """One machine: its states (a StrEnum), the moves allowed from each, and their labels."""

    name: str
    states: type[S]
    transitions: Mapping[S, frozenset[S]]
    labels: Mapping[S, str]
    refusal: str = REFUSED

    def __post_init__(self) -> None:
        states = set(self.states)
        if set(self.transitions) != states or set(self.labels) != states:
            raise ValueError(f"machine {self.name}: every state needs its moves and its label")
        for source, targets in self.transitions.items():
            if not targets <= states:
                raise ValueError(f"machine {self.name}: unknown target from {source}")

    def state(self, value: str) -> S:
        """The state a stored string stands for (ValueError for a string of no state)."""
        return self.states(value)

    def targets(self, current: str) -> frozenset[S]:
        """Where an object in `current` may go next (nowhere from an unknown state)."""
        try:
            return self.transitions[self.states(current)]
        except ValueError:
            return frozenset()

    def can_move(self, current: str, target: str) -> bool:
        """Whether the table allows the move from `current` to `target`."""
        return target in self.targets(current)

    def is_final(self, current: str) -> bool:
        return not self.targets(current)

    def check(self, current: str, target: str, message: str | None = None, /, **params: Any) -> S:
        """The target state, or InvalidTransition (with `message`, else the machine's)."""
        if not self.can_move(current, target):
            raise InvalidTransition(message or self.refusal, **params)
        return self.states(target)

    def move(self, obj: Any, target: str, message: str | None = None, /, **params: Any) -> str:
        """Check the move and set `obj.status`; returns the state it left (for the audit)."""
        before = str(obj.status)
        obj.status = self.check(before, target, message, **params)
        return before

    def label(self, value: str) -> str:
        """The msgid naming a state (the value itself for a string of no state)."""
        try:
            return self.labels[self.states(value)]
        except ValueError:
            return value


def one_of(states: type[StrEnum], column: str = "status") -> str:
    """The CHECK condition that backs a machine in the database: the column holds a state."""
    return f"{column} IN ({', '.join(repr(str(s)) for s in states)})"


def transitions(table: Mapping[S, Iterable[S]]) -> dict[S, frozenset[S]]:
    """A transition table written with sets or tuples, frozen."""
    return {source: frozenset(targets) for source, targets in table.items()}
