"""A fund's criteria for acceptance and mid-term rating sheets: the built-in defaults until
the fund sets its own on the council rules page; each agenda item keeps the criteria its
sheets are scored on."""
