"""Documents a fund writes itself (its contract text, its decision letter) with ${name}
placeholders: Python's string.Template, so nothing from the database is ever evaluated — only
the names a document kind declares, no expression, no filter, no attribute; "$$" writes a
dollar sign. The substitution is one pass: a value is never read again as a placeholder."""

import re
import string
from collections.abc import Mapping

from funds.errors import N_
from funds.rules import Violation


class _Safe(string.Template):
    idpattern = r"[a-z_]+"
    flags = re.RegexFlag(0)  # lowercase names only


def violations(body: str, known: Mapping[str, str], *, empty: str) -> list[Violation]:
    """A text that is not empty, with well-formed ${name} placeholders of known names only."""
    if not body.strip():
        return [Violation("body", empty)]
    t = _Safe(body)
    if not t.is_valid():
        return [
            Violation(
                "body",
                N_("Write placeholders as ${name} with a known name; write $$ for a dollar sign."),
            )
        ]
    unknown = sorted(set(t.get_identifiers()) - set(known))
    if unknown:
        return [
            Violation("body", N_("Unknown placeholders: %(names)s."), {"names": ", ".join(unknown)})
        ]
    return []


def fill(body: str, known: Mapping[str, str], values: Mapping[str, str]) -> str:
    """The text with each known ${name} replaced by its value (missing values are empty)."""
    return _Safe(body).substitute({k: values.get(k, "") for k in known})
