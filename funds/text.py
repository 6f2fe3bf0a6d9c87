"""Text as people search it: case and Vietnamese diacritics folded, so that "nguyen van" finds
"Nguyễn Văn" and "dien" finds "điện" (issue #16, item 4).

Searching folds in Python over the candidate rows rather than in SQL: SQLite has no unaccent
and PostgreSQL's is an extension we cannot assume, and a stored folded column would need a
migration. Callers narrow the candidates in SQL first (the fund, the call) and cap the result.
"""

import unicodedata
from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")

SEARCH_MAX_CHARS = 200  # what a search box accepts; longer input is cut, never an error
SEARCH_LIMIT = 500  # rows a search returns at most


def fold_text(text: str | None) -> str:
    """Lowercase, NFC, without Vietnamese diacritics ('Đại học' → 'dai hoc'); đ folds to d."""
    text = unicodedata.normalize("NFC", text or "").casefold().replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def search_terms(query: str | None) -> list[str]:
    """The folded words of a query, each to be found somewhere ('Nguyễn  van' → [nguyen, van])."""
    return fold_text((query or "")[:SEARCH_MAX_CHARS]).split()


def matches(terms: list[str], *texts: str | None) -> bool:
    """Whether every term occurs in the folded texts (no terms: everything matches)."""
    haystack = " ".join(fold_text(t) for t in texts if t)
    return all(term in haystack for term in terms)


def search(
    rows: Iterable[T],
    query: str | None,
    texts: Callable[[T], Iterable[str | None]],
    *,
    limit: int | None = SEARCH_LIMIT,
) -> list[T]:
    """The rows whose texts contain every folded word of the query, at most `limit` (None:
    all, for an export that must not be cut); an empty query keeps every row."""
    terms = search_terms(query)
    if not terms:
        return list(rows)
    found: list[T] = []
    for row in rows:
        if matches(terms, *texts(row)):
            found.append(row)
            if limit is not None and len(found) >= limit:
                break
    return found
