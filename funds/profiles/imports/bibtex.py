"""A small BibTeX reader: entries `@type{key, field = value, …}` with values in braces (nested),
in quotes, bare numbers or words, joined by `#`; fields over several lines; @comment,
@preamble and @string blocks skipped (@string macros are not expanded: a bare word is kept
as written). Common LaTeX accents (\\'e, {\\"o}, \\~a, \\c{c}, \\dj) become Unicode.
A broken entry (unclosed brace, missing '=') is reported by its number and key, and reading
resumes at the next '@' that starts a line.
"""

import contextlib
import re
import unicodedata

from funds.errors import N_
from funds.profiles.imports.rules import Entry, EntryError, Parsed, collect, entry_or_error, year_of

SKIPPED = {"comment", "preamble", "string"}
ACCENTS = {"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303",
           "=": "\u0304", ".": "\u0307", "c": "\u0327", "u": "\u0306", "v": "\u030c",
           "H": "\u030b", "d": "\u0323", "h": "\u0309"}  # fmt: skip
_ACCENT = re.compile(r"\\([`'^\"~=.]|[cuvHdh](?=[\s{]))\s*\{?\\?([^\W\d_])\}?")
_NAME = re.compile(r"[A-Za-z0-9_:\-.+/]+")
VENUE_FIELDS = ("journal", "booktitle", "publisher", "school", "institution")


class Broken(Exception):
    def __init__(self, message: str, **params):
        super().__init__(message)
        self.message, self.params = message, params


def latex_to_text(value: str) -> str:
    """LaTeX accents to Unicode, braces and the remaining backslashes dropped."""
    for _ in range(3):  # nested accents (\~{\^e}) resolve from the inside out
        value = _ACCENT.sub(
            lambda m: unicodedata.normalize("NFC", m.group(2) + ACCENTS[m.group(1)]), value
        )
    value = value.replace("\\dj", "đ").replace("\\DJ", "Đ").replace("\\&", "&").replace("~", " ")
    return value.replace("{", "").replace("}", "").replace("\\", "")


class Reader:
    def __init__(self, text: str):
        self.text, self.i = text, 0

    def ws(self) -> None:
        while self.i < len(self.text) and self.text[self.i].isspace():
            self.i += 1

    def peek(self) -> str:
        return self.text[self.i] if self.i < len(self.text) else ""

    def name(self) -> str:
        found = _NAME.match(self.text, self.i)
        if not found:
            raise Broken(N_("A field name was expected at line %(line)s."), line=self.line())
        self.i = found.end()
        return found.group(0)

    def line(self) -> int:
        return self.text.count("\n", 0, self.i) + 1

    def braced(self) -> str:
        """From an opening brace to its match, without the outer pair."""
        depth, start = 0, self.i
        while self.i < len(self.text):
            ch = self.text[self.i]
            depth += (ch == "{") - (ch == "}")
            self.i += 1
            if depth == 0:
                return self.text[start + 1 : self.i - 1]
        raise Broken(
            N_("A brace opened at line %(line)s is never closed."),
            line=self.text.count("\n", 0, start) + 1,
        )

    def quoted(self) -> str:
        start, depth = self.i, 0
        self.i += 1
        while self.i < len(self.text):
            ch = self.text[self.i]
            depth += (ch == "{") - (ch == "}")
            self.i += 1
            if ch == '"' and depth == 0 and self.text[self.i - 2] != "\\":
                return self.text[start + 1 : self.i - 1]
        raise Broken(
            N_("A quote opened at line %(line)s is never closed."),
            line=self.text.count("\n", 0, start) + 1,
        )

    def value(self) -> str:
        parts = []
        while True:
            self.ws()
            ch = self.peek()
            if ch == "{":
                parts.append(self.braced())
            elif ch == '"':
                parts.append(self.quoted())
            elif ch and (ch.isalnum() or ch in "_-."):
                parts.append(self.name())
            else:
                raise Broken(N_("A value was expected at line %(line)s."), line=self.line())
            self.ws()
            if self.peek() != "#":
                return "".join(parts)
            self.i += 1

    def fields(self, close: str) -> dict[str, str]:
        found: dict[str, str] = {}
        while True:
            self.ws()
            while self.peek() == ",":
                self.i += 1
                self.ws()
            if self.peek() == close:
                self.i += 1
                return found
            if not self.peek() or self.peek() == "@":
                raise Broken(N_("The entry is not closed."))
            name = self.name().lower()
            self.ws()
            if self.peek() != "=":
                raise Broken(
                    N_("'=' was expected after %(field)s at line %(line)s."),
                    field=name,
                    line=self.line(),
                )
            self.i += 1
            found[name] = self.value()


def _entry(fields: dict[str, str], number: int, key: str) -> Entry | EntryError:
    text = {k: latex_to_text(v) for k, v in fields.items()}
    authors = re.split(r"\s+and\s+", text.get("author", "").strip()) if text.get("author") else []
    venue = next((text[f] for f in VENUE_FIELDS if text.get(f)), "")
    return entry_or_error(number, key, title=text.get("title", ""), authors=authors,
                          year=year_of(text.get("year") or text.get("date")), venue=venue,
                          doi=text.get("doi", ""))  # fmt: skip


def _next_entry(text: str, start: int) -> int:
    """Where the next entry starts: an '@' at the start of a line (or of the file)."""
    found = re.compile(r"(?m)^\s*@").search(text, start)
    return found.end() - 1 if found else len(text)


def parse_bibtex(text: str) -> Parsed:
    """The entries of a BibTeX file and the errors by entry."""
    results: list[Entry | EntryError] = []
    reader, number = Reader(text), 0
    reader.i = text.find("@") if "@" in text else len(text)
    while reader.i < len(text):
        start = reader.i
        reader.i += 1
        kind = _NAME.match(text, reader.i)
        kind_name = kind.group(0).lower() if kind else ""
        reader.i = kind.end() if kind else reader.i
        reader.ws()
        opener = reader.peek()
        if kind_name in SKIPPED or opener not in "{(" or not opener:
            if kind_name in SKIPPED and opener == "{":
                with contextlib.suppress(Broken):  # an unclosed @comment: resume at the next '@'
                    reader.braced()
            reader.i = _next_entry(text, max(reader.i, start + 1))
            continue
        number += 1
        reader.i += 1
        key_end = re.compile(r"[,}\n)]").search(text, reader.i)
        key = text[reader.i : key_end.start()].strip() if key_end else ""
        reader.i = key_end.start() if key_end else len(text)
        try:
            fields = reader.fields("}" if opener == "{" else ")")
        except Broken as exc:
            results.append(EntryError(number, key, exc.message, exc.params))
            reader.i = _next_entry(text, start + 1)
            continue
        results.append(_entry(fields, number, key))
        reader.i = _next_entry(text, reader.i)
    return collect(results)
