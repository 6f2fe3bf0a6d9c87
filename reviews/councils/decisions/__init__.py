"""The fund's decisions that cite a council: the selection decision (quyết định phê duyệt)
lists the items the council recommended, in its ranking, and every departure from the
recommendation with its reason."""
