"""The names of Resolution 57's indicators (funds.projects.indicators), in the user's language,
and a legal basis written with the instrument's number instead of its code."""

from flask_babel import lazy_gettext as _l

INDICATOR_NAMES = {
    "commercialisation_rate": _l("Commercialisation rate of patents"),
    "exploitations": _l("Exploitations"),
    "exploitation_value": _l("Value of exploitations"),
    "patent_application_growth_compound": _l("Growth of patent applications (compound)"),
    "patent_application_growth_mean": _l("Growth of patent applications (mean)"),
    "patent_grant_growth_compound": _l("Growth of patents granted (compound)"),
    "patent_grant_growth_mean": _l("Growth of patents granted (mean)"),
    "international_publication_growth_compound": _l(
        "Growth of international publications (compound)"
    ),
    "international_publication_growth_mean": _l("Growth of international publications (mean)"),
    "compliant_failure_rate": _l("Compliant failure rate"),
    "noncompliant_failure_rate": _l("Failure rate with a broken condition"),
    "legacy_failure_rate": _l("Failure rate under the earlier rules"),
    "gerd_share_of_gdp": _l("R&D expenditure as a share of GDP"),
    "gerd_nonstate_share": _l("Non-state share of R&D expenditure"),
    "fund_cofunding_ratio": _l("Co-funding ratio of the fund's projects"),
    "days_call_close_to_decision": _l("Days from a call's close to its decision"),
    "days_final_report_to_closeout": _l("Days from the final report to closeout"),
}


def indicator_name(indicator_id: str) -> str:
    return str(INDICATOR_NAMES.get(indicator_id, indicator_id))


def basis_text(basis: str, numbers: dict[str, str]) -> str:
    """"res-57-nq-tw §II" as "57-NQ/TW §II": the instrument's number, then the article."""
    code, _, article = basis.partition(" ")
    return f"{numbers.get(code, code)} {article}".strip()
