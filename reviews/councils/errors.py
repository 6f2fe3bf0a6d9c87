"""The councils' own errors (the base classes live in funds.errors)."""

from funds.errors import N_, RuleViolation


class CompositionIncomplete(RuleViolation):
    """The council's seats do not meet its rules (size, required roles): `violations` says how."""

    code = "council_composition"

    def __init__(self, violations):
        super().__init__(N_("The council's composition does not meet its rules yet."), violations)


class EligibilityWarnings(RuleViolation):
    """The member's profile raises eligibility warnings and no reason to override them was given."""

    code = "council_eligibility"

    def __init__(self, violations):
        super().__init__(
            N_("The profile raises eligibility warnings: give a reason to appoint anyway."),
            violations,
        )


class NoQuorum(RuleViolation):
    """Too few members (or not the chair, not the secretary) present for this item."""

    code = "council_no_quorum"

    def __init__(self, reasons: list[str], *, present: int, needed: int):
        from funds.rules import Violation

        super().__init__(
            N_("No quorum: %(present)s member(s) present, %(needed)s needed."),
            [Violation("quorum", reason) for reason in reasons],
            present=present,
            needed=needed,
        )
