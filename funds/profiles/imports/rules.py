"""What an import file yields, and which of its entries are already on the profile.

The parsers (orcid.py, bibtex.py, ris.py) are pure functions of the file's text returning a
`Parsed`: the entries read and the errors, each naming its entry (number in the file, and
its key or identifier where it has one) and the reason, as a msgid with parameters.
An entry is a duplicate when its DOI, or else its folded title (funds.text.fold_text, all
punctuation and spacing collapsed), is already on the profile or earlier in the file.
"""

import re
from dataclasses import dataclass, field

from funds.errors import N_
from funds.text import fold_text

MAX_BYTES = 5 * 2**20  # a researcher's full record is a few hundred kilobytes
MAX_ENTRIES = 5000
FORMATS = ("orcid", "bibtex", "ris")
FORMAT_LABELS = {"orcid": N_("ORCID record (JSON)"), "bibtex": N_("BibTeX"), "ris": N_("RIS")}
LIMITS = {"title": 1000, "authors": 4000, "venue": 500}
DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_DOI_PREFIX = re.compile(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", re.I)


@dataclass(frozen=True)
class Entry:
    """A publication as read from a file: authors as written, ';'-separated."""

    title: str
    authors: str = ""
    year: int | None = None
    venue: str = ""
    doi: str | None = None


@dataclass(frozen=True)
class EntryError:
    number: int  # the entry's place in the file, from 1 (0: the file as a whole)
    key: str  # its citation key, put-code or ID, where it has one
    message: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Parsed:
    entries: list[Entry]
    errors: list[EntryError]


def normalise_doi(text: str | None) -> str | None:
    """'https://doi.org/10.1000/ABC' → '10.1000/abc' (DOIs ignore case); None if not a DOI."""
    text = _DOI_PREFIX.sub("", (text or "").strip()).strip().lower()
    return text if DOI.match(text) and len(text) <= 200 else None


def title_key(title: str) -> str:
    """The title as compared: folded, punctuation and spacing collapsed."""
    return " ".join(re.findall(r"[a-z0-9]+", fold_text(title)))


def year_of(text: str | None) -> int | None:
    """The first plausible four-digit year in the text."""
    found = re.search(r"(1[89]\d\d|20\d\d|2100)", text or "")
    return int(found.group(1)) if found else None


def clean(text: str) -> str:
    return " ".join((text or "").split())


def entry_or_error(
    number: int, key: str, *, title: str, authors: list[str], year: int | None, venue: str, doi: str
) -> Entry | EntryError:
    """An entry from read fields, or the reason it cannot be one (no title, too long)."""
    title, venue = clean(title), clean(venue)
    author_text = "; ".join(a for a in (clean(a) for a in authors) if a)
    if not title:
        return EntryError(number, key, N_("The entry has no title."))
    for name, value in (("title", title), ("authors", author_text), ("venue", venue)):
        if len(value) > LIMITS[name]:
            return EntryError(
                number, key, N_("The %(field)s is longer than %(limit)s characters."),
                {"field": name, "limit": LIMITS[name]},
            )  # fmt: skip
    return Entry(title, author_text, year, venue, normalise_doi(doi))


def collect(results: list[Entry | EntryError]) -> Parsed:
    """Entries and errors apart, in file order; at most MAX_ENTRIES entries read."""
    entries = [r for r in results if isinstance(r, Entry)]
    errors = [r for r in results if isinstance(r, EntryError)]
    if len(entries) > MAX_ENTRIES:
        errors.append(
            EntryError(
                0,
                "",
                N_("More than %(limit)s entries: the rest is not read."),
                {"limit": MAX_ENTRIES},
            )
        )
        entries = entries[:MAX_ENTRIES]
    return Parsed(entries, errors)


def detect_format(filename: str, text: str) -> str | None:
    """The file's format from its name, else its first characters."""
    name = filename.lower()
    for suffix, fmt in ((".json", "orcid"), (".bib", "bibtex"), (".ris", "ris")):
        if name.endswith(suffix):
            return fmt
    start = text.lstrip()[:200]
    if start.startswith(("{", "[")):
        return "orcid"
    if start.startswith("@"):
        return "bibtex"
    if re.match(r"TY  -", start):
        return "ris"
    return None


@dataclass(frozen=True)
class Planned:
    entry: Entry
    duplicate: bool
    reason: str = ""  # a msgid: why it is a duplicate


def plan(entries: list[Entry], existing: list[tuple[str | None, str]]) -> list[Planned]:
    """Each entry, new or a duplicate of a publication on the profile (DOI, title) or of an
    earlier entry of the file."""
    dois = {normalise_doi(d) for d, _t in existing} - {None}
    titles = {title_key(t) for _d, t in existing}
    planned = []
    for e in entries:
        key = title_key(e.title)
        if e.doi and e.doi in dois:
            planned.append(Planned(e, True, N_("Same DOI as a publication already listed.")))
        elif key in titles:
            planned.append(Planned(e, True, N_("Same title as a publication already listed.")))
        else:
            planned.append(Planned(e, False))
        if e.doi:
            dois.add(e.doi)
        titles.add(key)
    return planned


def parse_file(fmt: str, text: str) -> Parsed:
    """The entries of a file in one of FORMATS."""
    from funds.profiles.imports import bibtex, orcid, ris

    parser = {"orcid": orcid.parse_orcid, "bibtex": bibtex.parse_bibtex, "ris": ris.parse_ris}
    return parser[fmt](text)
