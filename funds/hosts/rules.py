"""Pure rules of host organisations: tax codes, folded names, duplicates, the endorsement
window, and the two state machines (a registered organisation, an endorsement)."""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from funds.errors import N_
from funds.hosts.models import EndorsementStatus as ES
from funds.hosts.models import HostStatus as HS
from funds.rules import Violation
from funds.states import Machine, transitions
from funds.text import fold_text  # the shared fold (funds.text), used by fold_name

# Mã số thuế of an organisation: 10 digits, or 10 digits, a hyphen and 3 for a dependent unit
# (branch). Only the shape is checked; the check digit's rule is to be verified (docs/hosts.md).
TAX_CODE = re.compile(r"^\d{10}(-\d{3})?$")


def normalise_tax_code(text: str) -> str:
    """Spaces and dots removed; a 13-digit run written without its hyphen gets it back."""
    code = re.sub(r"[\s.]", "", text or "")
    if re.fullmatch(r"\d{13}", code):
        code = f"{code[:10]}-{code[10:]}"
    return code


def tax_code_is_valid(text: str) -> bool:
    return bool(TAX_CODE.match(normalise_tax_code(text)))


# Words that name the kind of organisation, not which one: "Trường Đại học Bách khoa Hà Nội",
# "Đại học Bách khoa Hà Nội" and "ĐH Bách khoa Hà Nội" are one organisation. Folded forms.
GENERIC_PHRASES = (  # the kind of organisation, at the start of its name
    "truong dai hoc",
    "dai hoc",
    "hoc vien",
    "truong",
    "vien",
    "dh",
)
# English kind words, anywhere ("Can Tho University"); never a folded Vietnamese word
GENERIC_WORDS = frozenset({"university", "institute"})
# Abbreviations written out, so "KH&CN" and "Khoa học và Công nghệ" fold alike.
ABBREVIATIONS = {
    "kh": "khoa hoc",
    "cn": "cong nghe",
    "khcn": "khoa hoc cong nghe",
    "tp": "thanh pho",
    "hcm": "ho chi minh",
    "tphcm": "thanh pho ho chi minh",
    "dhqg": "quoc gia",
    "qg": "quoc gia",
}
JOINERS = frozenset({"va", "and", "of", "&"})
MIN_KEY = 3  # a folded name shorter than this names nothing in particular


def fold_name(text: str) -> str:
    """The key organisations are grouped and compared by: folded, punctuation out,
    abbreviations written out, joiners and the generic words of kind removed."""
    words = re.findall(r"[a-z0-9]+", fold_text(text).replace("&", " "))
    words = " ".join(ABBREVIATIONS.get(w, w) for w in words if w not in JOINERS).split()
    stripped = True
    while stripped:  # "Trường Đại học …", "Học viện …": the leading kind words, not a
        stripped = False  # folded "viễn" inside a name ("Bưu chính Viễn thông")
        for phrase in GENERIC_PHRASES:
            kind = phrase.split()
            if words[: len(kind)] == kind:
                words, stripped = words[len(kind) :], True
                break
    return " ".join(w for w in words if w not in GENERIC_WORDS)


def name_is_distinctive(text: str) -> bool:
    """Whether a name says which organisation (not only "Viện", "N/A" or "—")."""
    return len(fold_name(text).replace(" ", "")) >= MIN_KEY


@dataclass(frozen=True)
class Registered:
    """An organisation already in the register, as the duplicate check sees it."""

    id: int
    name: str
    tax_code: str | None
    folded_name: str
    folded_name_en: str = ""


def duplicates(
    *, name_vi: str, name_en: str, tax_code: str | None, register: list[Registered]
) -> list[tuple[Registered, str]]:
    """(organisation, why) for each registered one with the same tax code or folded name."""
    keys = {k for k in (fold_name(name_vi), fold_name(name_en)) if k}
    found = []
    for r in register:
        if tax_code and r.tax_code == tax_code:
            found.append((r, "tax_code"))
        elif keys & {k for k in (r.folded_name, r.folded_name_en) if k}:
            found.append((r, "name"))
    return found


def host_violations(values: dict) -> list[Violation]:
    """Shape rules of an organisation's record: a distinctive name, a well-formed tax code
    and e-mail."""
    found = []
    if not name_is_distinctive(values.get("name_vi", "")):
        found.append(Violation("name_vi", N_("Give the organisation's full legal name.")))
    code = values.get("tax_code") or ""
    if code and not tax_code_is_valid(code):
        found.append(
            Violation(
                "tax_code",
                N_(
                    "A tax code has 10 digits, or 10 digits, a hyphen and 3 digits "
                    "(0101234567-001)."
                ),
            )
        )
    email = values.get("finance_email") or ""
    if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        found.append(Violation("finance_email", N_("Give a valid e-mail address.")))
    return found


HOST = Machine(
    "host",
    HS,
    transitions(
        {
            HS.REQUESTED: {HS.CONFIRMED, HS.REJECTED},
            HS.IMPORTED: {HS.CONFIRMED, HS.REJECTED},
            HS.CONFIRMED: set(),
            HS.REJECTED: set(),
        }
    ),
    {
        HS.REQUESTED: N_("Requested"),
        HS.IMPORTED: N_("Imported, to be checked"),
        HS.CONFIRMED: N_("Confirmed"),
        HS.REJECTED: N_("Rejected"),
    },
)
# an organisation a principal investigator may name (a request is theirs until confirmed)
PICKABLE = (HS.CONFIRMED, HS.IMPORTED)

# The host's endorsement of one submitted version: awaited, then given or returned with a
# reason; a version withdrawn or replaced before that cancels it.
ENDORSEMENT = Machine(
    "endorsement",
    ES,
    transitions(
        {
            ES.PENDING: {ES.ENDORSED, ES.RETURNED, ES.CANCELLED},
            ES.ENDORSED: set(),
            ES.RETURNED: set(),
            ES.CANCELLED: set(),
        }
    ),
    {
        ES.PENDING: N_("Awaiting the host's endorsement"),
        ES.ENDORSED: N_("Endorsed by the host"),
        ES.RETURNED: N_("Returned by the host"),
        ES.CANCELLED: N_("Cancelled (version withdrawn or replaced)"),
    },
)


def endorsement_due(closes_at: datetime, period_days: int) -> datetime:
    """The end of the endorsement period: the call's deadline plus the call's days."""
    return closes_at + timedelta(days=period_days)


def endorsement_open(due_at: datetime, now: datetime) -> bool:
    """The host may endorse or return until the end of the period (exclusive)."""
    return now < due_at
