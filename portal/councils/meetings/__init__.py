"""Council meetings for the secretary and the fund's managers: the agenda, attendance,
conflicts and the quorum of each item."""
