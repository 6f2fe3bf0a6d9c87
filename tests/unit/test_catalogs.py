"""Every user-visible string has a Vietnamese translation with the same placeholders."""

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
VI = ROOT / "portal" / "translations" / "vi"
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "lazy_gettext": None,
    "_l": None,
    "N_": None,
}
METHOD_MAP = [
    ("portal/**.py", "python"),
    ("funds/**.py", "python"),
    ("reviews/**.py", "python"),
    ("templates/**.html", "jinja2"),
]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def extracted_ids() -> set[str]:
    ids = set()
    for _file, _line, message, _comments, _ctx in extract_from_dir(
        str(ROOT), METHOD_MAP, keywords=KEYWORDS
    ):
        ids.add(message[0] if isinstance(message, tuple) else message)
    return ids


def vietnamese() -> dict[str, str]:
    found = {}
    for po in sorted(VI.glob("*.po")) + sorted(VI.glob("LC_MESSAGES/*.po")):
        with po.open("rb") as fh:
            for m in read_po(fh, locale="vi"):
                if m.id and m.string and not m.fuzzy:
                    found[m.id if isinstance(m.id, str) else m.id[0]] = (
                        m.string if isinstance(m.string, str) else m.string[0]
                    )
    return found


def test_every_extracted_string_has_a_vietnamese_translation():
    missing = sorted(extracted_ids() - set(vietnamese()))
    assert missing == [], f"{len(missing)} strings lack Vietnamese: {missing[:20]}"


def test_translations_keep_their_placeholders():
    wrong = {
        k: v
        for k, v in vietnamese().items()
        if sorted(PLACEHOLDER.findall(k)) != sorted(PLACEHOLDER.findall(v))
    }
    assert wrong == {}
