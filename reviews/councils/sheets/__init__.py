"""Members' individual rating sheets (phiếu đánh giá) on a council item: the call's rubric
(or, for acceptance, the fund's acceptance criteria and each contracted quality indicator),
autosaved, submitted once; totals, calibration and ranking from peer review (one engine)."""
