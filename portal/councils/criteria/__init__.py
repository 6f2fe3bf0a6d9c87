"""The fund's criteria of acceptance and mid-term rating sheets, on the council rules page."""
