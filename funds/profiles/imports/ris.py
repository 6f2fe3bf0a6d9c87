"""A small RIS reader: records from `TY  - ` to `ER  - `, one `XX  - value` tag a line; a line
without a tag continues the previous field (multi-line abstracts and titles). A record
without TY or ER, a tag outside a record or a record without a title is reported by its
number (and its ID tag where it has one)."""

import re

from funds.errors import N_
from funds.profiles.imports.rules import Entry, EntryError, Parsed, collect, entry_or_error, year_of

TAG = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*)|\s*)$")
TITLE, AUTHORS = ("TI", "T1", "CT", "BT"), ("AU", "A1")
YEAR, VENUE = ("PY", "Y1", "DA"), ("JO", "JF", "T2", "JA", "J2", "PB")


def _first(fields: dict[str, list[str]], tags: tuple[str, ...]) -> str:
    return next((fields[t][0] for t in tags if fields.get(t)), "")


def _entry(fields: dict[str, list[str]], number: int) -> Entry | EntryError:
    key = _first(fields, ("ID",))
    return entry_or_error(
        number,
        key,
        title=_first(fields, TITLE),
        authors=[a for t in AUTHORS for a in fields.get(t, [])],
        year=year_of(_first(fields, YEAR)),
        venue=_first(fields, VENUE),
        doi=_first(fields, ("DO",)),
    )


def parse_ris(text: str) -> Parsed:
    """The records of a RIS file and the errors by record."""
    results: list[Entry | EntryError] = []
    fields: dict[str, list[str]] | None = None
    last, number = "", 0
    for line_no, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip().lstrip("\ufeff")
        tag = TAG.match(line)
        if tag is None:
            if line.strip() and fields is not None and last:
                fields[last][-1] += " " + line.strip()
            elif line.strip():
                results.append(
                    EntryError(
                        number + 1,
                        "",
                        N_("Line %(line)s is outside a record (no TY before it)."),
                        {"line": line_no},
                    )
                )
            continue
        name, value = tag.group(1), (tag.group(2) or "").strip()
        if name == "TY":
            if fields is not None:
                results.append(
                    EntryError(
                        number,
                        _first(fields, ("ID",)),
                        N_("The record has no ER line before the next TY."),
                    )
                )
            number += 1
            fields, last = {}, ""
        elif fields is None:
            results.append(
                EntryError(
                    number + 1,
                    "",
                    N_("Line %(line)s is outside a record (no TY before it)."),
                    {"line": line_no},
                )
            )
        elif name == "ER":
            results.append(_entry(fields, number))
            fields, last = None, ""
        else:
            fields.setdefault(name, []).append(value)
            last = name
    if fields is not None:
        results.append(
            EntryError(
                number,
                _first(fields, ("ID",)),
                N_("The record has no ER line: the file ends inside it."),
            )
        )
    return collect(results)
