"""Translated names of the rules and bases."""

from flask_babel import lazy_gettext as _l

RULE_LABELS = {
    "st_share_of_state_budget_2013": _l("S&T share of the state budget (Law 29/2013, Art. 49)"),
    "st_share_of_state_budget": _l("S&T/I/DX share of the state budget"),
    "st_share_rising": _l("Share rising year on year (indicator)"),
    "strategic_share_of_st_budget": _l("Strategic technology share of the state S&T budget"),
}
BASIS_LABELS = {
    "planned": _l("Planned"),
    "committed": _l("Committed"),
    "disbursed": _l("Disbursed"),
    "revised": _l("Revised estimate"),
    "final": _l("Final accounts"),
}
KIND_LABELS = {"floor": _l("Floor"), "indicator": _l("Indicator")}


def rule_label(rule_id: str) -> str:
    return str(RULE_LABELS.get(rule_id, rule_id))
