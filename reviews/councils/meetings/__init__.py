"""Council meetings: the agenda, attendance and quorum, members' conflicts per item, and
each member's rating sheet (phiếu đánh giá) per item."""
