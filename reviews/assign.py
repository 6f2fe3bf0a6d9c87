"""Reviewer assignment's public entry points and command line (`python -m reviews.assign --help`).

The solver lives in reviews.assignment.solver (api.py); this module keeps the documented import
path and command.
"""

import sys

from reviews.assignment.solver.api import (
    AssignmentResult,
    InfeasibleAssignment,
    InvalidAssignmentInput,
    ScoreTable,
    reassign,
    solve_assignment,
)

__all__ = [
    "AssignmentResult",
    "InfeasibleAssignment",
    "InvalidAssignmentInput",
    "ScoreTable",
    "reassign",
    "solve_assignment",
]

if __name__ == "__main__":
    from reviews.assignment.solver.cli import main

    sys.exit(main())
