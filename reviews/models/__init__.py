"""Every table of the reviews domain."""

from reviews.models.assignments import (
    SCORE_MAX, SCORE_MIN, AssignmentStatus, Review, ReviewAssignment, ReviewStatus,
)

__all__ = ["SCORE_MAX", "SCORE_MIN", "AssignmentStatus", "Review", "ReviewAssignment",
           "ReviewStatus"]
