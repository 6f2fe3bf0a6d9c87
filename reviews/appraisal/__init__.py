"""Appointing appraisers with the conflict checks of peer review (reviews.pool)."""
