"""The response's own errors (the base classes live in funds.errors)."""

from funds.errors import N_, InvalidTransition


class ReviewsIncomplete(InvalidTransition):
    """Some proposal of the call still waits for an external review."""

    code = "rebuttal_reviews_incomplete"

    def __init__(self, proposals: str):
        super().__init__(
            N_(
                "The external reviews are not complete: %(proposals)s. The applicants can "
                "respond only once every review is in."
            ),
            proposals=proposals,
        )


class WindowClosed(InvalidTransition):
    """The response window is over, or the council has met."""

    code = "rebuttal_closed"

    def __init__(self):
        super().__init__(
            N_("The response period is over (or the council has met): nothing was sent.")
        )
