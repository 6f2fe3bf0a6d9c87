"""Translated names of the rules and bases."""

from flask_babel import lazy_gettext as _l

RULE_LABELS = {
    "st_share_of_state_budget": _l("S&T/I/DX share of the state budget"),
    "st_share_rising": _l("S&T/I/DX share rising year on year"),
    "strategic_share_of_st_budget": _l("Strategic technology share of the state S&T budget"),
    "private_share_of_rd": _l("Non-state share of R&D spending (indicator)"),
}
BASIS_LABELS = {
    "planned": _l("Planned"),
    "committed": _l("Committed"),
    "disbursed": _l("Disbursed"),
}
KIND_LABELS = {"floor": _l("Floor"), "indicator": _l("Indicator")}


def rule_label(rule_id: str) -> str:
    return str(RULE_LABELS.get(rule_id, rule_id))
