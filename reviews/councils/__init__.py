"""Councils (hội đồng): the bodies that legally advise selection, mid-term review and
acceptance. Councils and their seats and per-fund rules here; meetings (agenda, attendance,
member conflicts, rating sheets), ballots and minutes in the sub-packages."""
