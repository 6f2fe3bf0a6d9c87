"""Duplicate and overlapping work (trùng lặp): each submitted proposal screened against every
proposal and project of every fund and the national task register (issue #18, item 6)."""
