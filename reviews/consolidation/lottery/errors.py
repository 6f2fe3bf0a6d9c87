"""The lottery's own errors (the base classes live in funds.errors)."""

from funds.errors import N_, InvalidTransition


class NoCommitment(InvalidTransition):
    """A draw without a seed committed before it."""

    code = "lottery_no_commitment"

    def __init__(self):
        super().__init__(N_("Commit a seed first: a draw needs a seed committed before it."))


class GroupChanged(InvalidTransition):
    """The ranking moved since the seed was committed: the commitment no longer binds."""

    code = "lottery_group_changed"

    def __init__(self):
        super().__init__(
            N_(
                "The group or the money left has changed since the seed was committed: "
                "commit a new seed before drawing."
            )
        )
