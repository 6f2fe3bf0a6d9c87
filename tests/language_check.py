"""Which words of a rendered page are in the wrong language (issue #16, item 6).

A page's visible text (no script, style, or form values) is cut into text nodes; user data
(any text stored in the database) and numbers, dates and money are removed; what remains must
be in the page's language:

- in a Vietnamese page, no English: no text node equal to a catalog msgid whose Vietnamese
  differs (rendered untranslated), and no ASCII word from the English vocabulary (the words of
  the catalogs' msgids that no Vietnamese translation uses, plus common English words);
- in an English page, no Vietnamese: no letter with a Vietnamese diacritic;
- in either, no date as the database writes it (2026-12-01) and no code as the program
  writes it (patent_grant).

Pure functions over strings, so a unit test proves each check can fail.
"""

import re
import unicodedata
from collections.abc import Iterable
from html.parser import HTMLParser

SKIPPED_TAGS = {"script", "style", "textarea", "template", "noscript", "code"}
VOID_TAGS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
VISIBLE_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")


def words(text: str) -> set[str]:
    return set(text.split())


# Words a Vietnamese page may show in Latin letters: names of products, formats, units,
# abbreviations used as they are in Vietnamese administrative text.
NEUTRAL_WORDS = words(
    """
    pdf csv xlsx docx json api zip email e mail url id sha trl gmt otp totp risc ai ok cv orcid
    doi isbn issn web website online internet excel google microsoft authenticator freeotp
    aegis fas bitwarden rdfund vnd tw nq qh nđ cp tt btc bkhcn tsb kh cn mst bhxh gs pgs ts ths
    tskh ks cn vs ii iii iv vi vii viii ix x xi xii smtp iso utc http https www org vn com qr
    logo hd demo v n a b c d i ip kpi r s t o p m k g h l u y w f j q z copyright startup
    do an ai hay con ban so me
    mb kb gb tỷ bn
    spinoff khcn đmst cđs sbir cpu gpu iot ict it sha256 rd jpg png tiếng english
    """
)

COMMON_ENGLISH = words(
    """
    the and of to in for on with by from at as is are was were be been being this that these
    those it its or not no yes all any each every some none new edit save delete remove add
    cancel back next previous submit send open close closed view show hide download upload
    search filter sort page pages of total status date name title summary details list
    please log login sign out account password user users role roles error errors warning
    success file files project projects proposal proposals call calls fund funds review
    reviews reviewer reviewers manager managers applicant applicants admin settings help
    home dashboard report reports budget amount year years month months day days here there
    when where what which who how why if then else than more less most least only also
    must may can will should would could has have had do does did done draft submitted
    active inactive pending approved rejected accepted funded not_funded required optional
    due overdue paid unpaid state personnel extension publication description seeded true
    false exploitations proportionate full period decision share
    """
)

VIETNAMESE_LETTER = re.compile(
    "[ăâđêôơưĂÂĐÊÔƠƯ"
    "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
    "ÀÁẢÃẠẰẮẲẴẶẦẤẨẪẬÈÉẺẼẸỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌỒỐỔỖỘỜỚỞỠỢÙÚỦŨỤỪỨỬỮỰỲÝỶỸỴ]"
)
ASCII_WORD = re.compile(r"(?<![\w@.])[A-Za-z][a-z]+(?:'[a-z]+)?(?![\w@])")
# numbers, money, percentages, dates, times, codes with digits; a template's ${field}
NUMERIC = re.compile(r"[₫%]|\b\S*\d\S*\b|\$\{[^}]*\}")


class _TextParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skipping: list[str] = []
        self.nodes: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED_TAGS:
            self.skipping.append(tag)
        if self.skipping:
            return
        values = dict(attrs)
        for name in VISIBLE_ATTRIBUTES:
            if values.get(name):
                self.nodes.append(values[name])
        if tag == "input" and values.get("type") in {"submit", "button"} and values.get("value"):
            self.nodes.append(values["value"])

    def handle_startendtag(self, tag, attrs):
        if tag not in SKIPPED_TAGS:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in SKIPPED_TAGS and tag in self.skipping:
            while self.skipping and self.skipping.pop() != tag:
                pass

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.nodes.append(data)


def visible_text(html: str) -> list[str]:
    """The text nodes a reader sees (and the titles, placeholders and labels they hear),
    whitespace collapsed; no script, style, code, or form values."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    return [" ".join(n.split()) for n in parser.nodes if n.strip()]


class UserData:
    """Removes stored text (titles, names, notes, codes…) from a page's text nodes."""

    def __init__(self, values: Iterable[str]):
        kept = {" ".join(v.split()) for v in values if v and len(v.strip()) >= 2}
        kept = {v for v in kept if not re.fullmatch(r"[a-z_]+", v)}  # codes are not data
        self.values = kept
        ordered = sorted(kept, key=len, reverse=True)
        self.pattern = (
            re.compile("|".join(re.escape(v) for v in ordered)) if ordered else re.compile("(?!)")
        )

    def without_data(self, text: str) -> str:
        return "" if text in self.values else self.pattern.sub(" ", text)

    def strip(self, text: str) -> str:
        """The text without user data, numbers, dates and money."""
        return NUMERIC.sub(" ", self.without_data(text))


RAW_CODE = re.compile(r"(?<![\w/.@-])[a-z]+(?:_[a-z0-9]+)+(?![\w/.@-])")


def raw_codes(nodes: list[str], data: UserData) -> list[str]:
    """Text nodes showing a code as the program writes it (patent_grant, not_funded), in
    either language: codes are shown by their labels (identifiers a reader must type go in
    <code>, which is not prose)."""
    return [n for n in nodes if RAW_CODE.search(data.without_data(n))]


ISO_DATE = re.compile(r"(?<![\w/.-])\d{4}-\d{2}-\d{2}(?![\w/.-])")


def raw_dates(nodes: list[str], data: UserData) -> list[str]:
    """Text nodes showing a date as the database holds it (2026-12-01), in either language:
    dates go through the |day filter (01/12/2026, 1 Dec 2026)."""
    return [n for n in nodes if ISO_DATE.search(data.without_data(n))]


def english_vocabulary(catalog: dict[str, str]) -> set[str]:
    """Lower-case ASCII words of the English msgids that no Vietnamese translation uses."""
    english = {w.lower() for msgid in catalog for w in ASCII_WORD.findall(_no_placeholders(msgid))}
    used = {w.lower() for text in catalog.values() for w in ASCII_WORD.findall(text)}
    return ((english - used) | COMMON_ENGLISH) - NEUTRAL_WORDS


def _no_placeholders(text: str) -> str:
    return re.sub(r"%\(\w+\)[sd]|%[sd]|\{\w*\}", " ", text)


def english_in_vietnamese(
    nodes: list[str], catalog: dict[str, str], vocabulary: set[str], data: UserData
) -> list[str]:
    """The text of a Vietnamese page that is English: untranslated msgids, English words."""
    found = []
    for node in nodes:
        if node in VIETNAMESE_PAGE_ALLOWED:
            continue
        if node in catalog and catalog[node] != node:
            found.append(node)
            continue
        rest = data.strip(node)
        words = [w for w in ASCII_WORD.findall(rest) if w.lower() in vocabulary]
        if words:
            found.append(f"{node}  [{' '.join(words)}]")
    return found


# the language switch names each language in itself; đồng is the currency's name in English;
# QĐ (quyết định) is part of a decision's number; a Vietnamese name shows accent folding
ENGLISH_PAGE_ALLOWED = ("Tiếng Việt", "đồng", "QĐ", "“Nguyễn Văn”")
VIETNAMESE_PAGE_ALLOWED = {"English"}  # the language switch names each language in itself


def vietnamese_in_english(nodes: list[str], data: UserData) -> list[str]:
    """The text of an English page that has Vietnamese letters outside user data."""
    found = []
    for node in nodes:
        rest = unicodedata.normalize("NFC", data.strip(node))
        for allowed in ENGLISH_PAGE_ALLOWED:
            rest = rest.replace(unicodedata.normalize("NFC", allowed), " ")
        if VIETNAMESE_LETTER.search(rest):
            found.append(node)
    return found


# The pseudo-locale check: every catalog string is rendered between these markers, so any
# visible text outside them (user data, numbers and neutral words aside) never went through
# gettext: a hard-coded string, whatever its language.
OPEN, CLOSE = "\ue000", "\ue001"
LETTERS = re.compile(r"[^\W\d_]{2,}")


class PseudoTranslations:
    """The real translations, each result wrapped in markers."""

    def __init__(self, real):
        self.real = real

    def ugettext(self, message):
        return OPEN + self.real.ugettext(message) + CLOSE if message else message

    def ungettext(self, singular, plural, n):
        return OPEN + self.real.ungettext(singular, plural, n) + CLOSE

    def upgettext(self, context, message):
        return OPEN + self.real.upgettext(context, message) + CLOSE

    def unpgettext(self, context, singular, plural, n):
        return OPEN + self.real.unpgettext(context, singular, plural, n) + CLOSE

    gettext, ngettext, pgettext, npgettext = ugettext, ungettext, upgettext, unpgettext

    def __getattr__(self, name):
        return getattr(self.real, name)


def unmarked(nodes: list[str], data: UserData) -> list[str]:
    """Text nodes with words outside the markers that are no user data and no neutral word.

    Markers may span nodes (a translation holding a link or a <code>), so the depth of
    markers carries from one node to the next, in document order."""
    found, depth = [], 0
    for node in nodes:
        outside = []
        for char in node:
            if char == OPEN:
                depth += 1
            elif char == CLOSE:
                depth = max(depth - 1, 0)
            elif depth == 0:
                outside.append(char)
        rest = data.strip("".join(outside))
        for allowed in ("Tiếng Việt", "English"):
            rest = rest.replace(allowed, " ")
        words = [w for w in LETTERS.findall(rest) if w.lower() not in NEUTRAL_WORDS]
        if words:
            found.append(f"{node.replace(OPEN, '⟦').replace(CLOSE, '⟧')}  [{' '.join(words)}]")
    return found
