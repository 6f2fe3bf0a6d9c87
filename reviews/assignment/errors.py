"""The reviews domain's own errors (the base classes live in funds.errors)."""

from funds.errors import N_, DomainError


class InfeasibleAssignment(DomainError):
    """No reviewer assignment meets the constraints; `reasons` says why, one line each."""

    code = "infeasible_assignment"

    def __init__(self, reasons: list[str]):
        super().__init__(
            N_("No reviewer assignment meets the constraints: %(reasons)s"),
            reasons="; ".join(reasons),
        )
        self.reasons = list(reasons)

    def __str__(self) -> str:
        return "no assignment meets the constraints:\n- " + "\n- ".join(self.reasons)


class InvalidAssignmentInput(DomainError, ValueError):
    """The scores, loads or constraints given to the assignment engine are malformed."""

    code = "invalid_assignment_input"

    def __init__(self, detail: str):
        super().__init__(N_("Invalid reviewer-assignment input: %(detail)s"), detail=detail)
        self.detail = detail

    def __str__(self) -> str:
        return self.detail
