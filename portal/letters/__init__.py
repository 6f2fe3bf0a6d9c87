"""Pages of decision letters: the fund's letter template, a call's decisions sent after a
check of the selection, and each letter as PDF."""
