"""The default rubric's texts in the user's language; anything a manager typed, as typed.

Stored text never goes through gettext: a name such as "100% feasibility" is not a format
string and "<img …>" is not markup. Only the seeded defaults, known here by their msgid,
are translated.
"""

from flask_babel import gettext

from reviews.rubric.services import DEFAULT_CRITERIA

DEFAULT_TEXTS = frozenset(
    text for name, description, *_ in DEFAULT_CRITERIA for text in (name, description)
)


def criterion_text(text: str | None) -> str:
    """A criterion's name or description for display (plain text, escaped by Jinja)."""
    if not text:
        return ""
    return gettext(text) if text in DEFAULT_TEXTS else text
