"""The outbox's refusals."""

from funds.errors import N_, InvalidTransition


class NotDead(InvalidTransition):
    """Only a dead row can be replayed (a live one is still being tried)."""

    def __init__(self) -> None:
        super().__init__(N_("This task is not in the dead-letter list any more."))
