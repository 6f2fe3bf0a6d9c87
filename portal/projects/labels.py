"""The names of Resolution 57's indicators (funds.projects.indicators), in the user's language,
a legal basis written with the instrument's number instead of its code, and the closeout
regimes' legal bases in the reader's language (the award keeps its English record)."""

import re

from flask_babel import get_locale as babel_locale
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlmodel import select

from funds.legal.models import LegalInstrument
from funds.projects.regimes.models import CloseoutRegime
from funds.projects.regimes.rules import REASONS

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
    """ "res-57-nq-tw §II" as "57-NQ/TW §II": the instrument's number, then the article."""
    code, _, article = basis.partition(" ")
    return f"{numbers.get(code, code)} {article}".strip()


INSTRUMENT_KINDS = {
    "law": _l("Law"),
    "resolution": _l("Resolution"),
    "decree": _l("Decree"),
    "decision": _l("Decision"),
    "circular": _l("Circular"),
}
# the articles the closeout regimes were shipped with that are words, not "Art. n"
ARTICLES = {"(unfinished tasks: refund by cause)": _l("(unfinished tasks: refund by cause)")}


def instrument_name(instrument) -> str:
    """ "Nghị định 88/2025/NĐ-CP", "Decree 88/2025/NĐ-CP": the kind in the reader's language."""
    kind = INSTRUMENT_KINDS.get(instrument.kind, instrument.kind)
    return gettext("%(kind)s %(number)s", kind=kind, number=instrument.number)


def article_text(article: str) -> str:
    found = re.fullmatch(r"Art\. (\S+)", article.strip())
    if found:
        return gettext("Art. %(article)s", article=found[1])
    return str(ARTICLES.get(article, article))


def regime_bases(session) -> dict[str, str]:
    """Each closeout regime's legal basis in the reader's language (instrument and article,
    then the instrument it is read with), by regime code."""
    instruments = {i.code: i for i in session.exec(select(LegalInstrument)).all()}
    bases = {}
    for regime in session.exec(select(CloseoutRegime)).all():
        main = instruments.get(regime.instrument_code)
        text = f"{instrument_name(main)} {article_text(regime.article)}" if main else ""
        related = instruments.get(regime.related_instrument_code or "")
        bases[regime.code] = f"{text}; {instrument_name(related)}" if related else text
    return bases


# a closed project's consequences in words when its record holds no reason (closed before the
# reasons were kept apart): by outcome
STORED_REASONS = {
    "success": REASONS["success"],
    "compliant_failure": REASONS["compliant"],
    "legacy_failure": _l(
        "failed under the earlier rules; the unused balance and a share of the funds used "
        "return, by cause"
    ),
    "noncompliant_failure": _l(
        "a condition is broken; the amounts the rules name return; a liability case is opened"
    ),
}


def basis_in_words(
    record: str,
    regime_code: str | None,
    *,
    reason: str = "",
    params: dict | None = None,
    outcome: str | None = None,
    savings: bool = False,
) -> str:
    """A closeout's basis in the reader's language: in English the record as written; else
    the regime's legal basis and what follows, translated."""
    if str(babel_locale() or "vi").startswith("en") and record:
        return record
    from portal import db
    from portal.edge import params_for_display

    basis = regime_bases(db.session()).get(regime_code or "", "")
    if not reason:
        reason = REASONS["savings"] if savings else STORED_REASONS.get(outcome or "", "")
    words = gettext(str(reason), **params_for_display(dict(params or {}))) if reason else ""
    return f"{basis}: {words}" if basis and words else basis or words or record
