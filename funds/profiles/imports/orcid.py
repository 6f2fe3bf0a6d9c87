"""Works from an ORCID record as the ORCID public API v3 returns it in JSON: the whole record
(`activities-summary.works.group`), the works list (`group`), a bulk read of works (`bulk`:
`work` or `error`), or one work. Of each group the first work summary is taken (ORCID lists
the preferred source first). Titles, the DOI among `external-ids`, the year of
`publication-date`, `journal-title` and, in full works, the contributors' credit names."""

import json
from typing import Any

from funds.errors import N_
from funds.profiles.imports.rules import Entry, EntryError, Parsed, collect, entry_or_error


def _value(node: Any, *path: str) -> str:
    """The text at path (each step a key), following ORCID's {"value": …} wrappers."""
    for step in path:
        node = node.get(step) if isinstance(node, dict) else None
    if isinstance(node, dict):
        node = node.get("value")
    return str(node) if isinstance(node, str | int) else ""


def _doi(work: dict) -> str:
    ids = ((work.get("external-ids") or {}).get("external-id")) or []
    for ext in ids if isinstance(ids, list) else []:
        if isinstance(ext, dict) and str(ext.get("external-id-type", "")).lower() == "doi":
            return _value(ext, "external-id-value") or _value(ext, "external-id-normalized")
    return ""


def _authors(work: dict) -> list[str]:
    people = ((work.get("contributors") or {}).get("contributor")) or []
    return [_value(p, "credit-name") for p in people if isinstance(p, dict)]


def _work(work: Any, number: int) -> Entry | EntryError:
    if not isinstance(work, dict):
        return EntryError(number, "", N_("The work is not a JSON object."))
    year = _value(work, "publication-date", "year")
    return entry_or_error(
        number,
        str(work.get("put-code") or ""),
        title=_value(work, "title", "title"),
        authors=_authors(work),
        year=int(year) if year.isdigit() else None,
        venue=_value(work, "journal-title"),
        doi=_doi(work),
    )


def works_in(data: Any) -> list[Any] | None:
    """The works of a record, a works list, a bulk read or one work; None if none of these."""
    if isinstance(data, dict) and "activities-summary" in data:
        data = (data.get("activities-summary") or {}).get("works") or {}
    if isinstance(data, dict) and isinstance(data.get("group"), list):
        return [
            (g.get("work-summary") or [None])[0] if isinstance(g, dict) else None
            for g in data["group"]
        ]
    if isinstance(data, dict) and isinstance(data.get("bulk"), list):
        return [b.get("work", b) if isinstance(b, dict) else None for b in data["bulk"]]
    if isinstance(data, dict) and "title" in data:
        return [data]
    return None


def parse_orcid(text: str) -> Parsed:
    """The works of an ORCID JSON file and the errors by work (put-code as key)."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        return Parsed(
            [],
            [
                EntryError(
                    0, "", N_("The file is not valid JSON (%(reason)s)."), {"reason": str(exc)[:80]}
                )
            ],
        )
    works = works_in(data)
    if works is None:
        return Parsed(
            [], [EntryError(0, "", N_("The file is not an ORCID record or list of works."))]
        )
    results: list[Entry | EntryError] = []
    for number, work in enumerate(works, start=1):
        if isinstance(work, dict) and "error" in work and "title" not in work:
            results.append(EntryError(number, "", N_("ORCID reported an error for this work.")))
        else:
            results.append(_work(work, number))
    return collect(results)
