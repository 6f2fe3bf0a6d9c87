"""What a fund publishes, written once: the fields always public, the optional ones with their
defaults and legal reasons, the never-public ones, and the stable public identifier."""

from collections.abc import Iterable
from dataclasses import dataclass

from funds.text import fold_text


@dataclass(frozen=True)
class OptionalField:
    """A project field a fund may publish or withhold (docs/public.md explains each)."""

    name: str
    default: bool
    reason: str  # why the default is what it is (English; the docs say it in full)


# Always public for a funded project: the identity of the state-funded task, as the lists of
# tasks published under Circular 27/2015 and Law 93/2025/QH15 carry it (public identifier,
# title, fund, call, strategic area, host organisation, period, status).
OPTIONAL_FIELDS: tuple[OptionalField, ...] = (
    OptionalField(
        "pi_name",
        True,
        "Circular 27/2015: the published list names each task's principal "
        "investigator; personal data published under a legal duty (Decree 13/2023 Art. 17)",
    ),
    OptionalField("amount", True, "Resolution 57-NQ/TW: transparency of state research spending"),
    OptionalField(
        "abstract", True, "Circular 27/2015: the task's objectives and content are published"
    ),
    OptionalField("outputs", True, "Law 93/2025/QH15: results are published on the platform"),
    OptionalField("rating", True, "Circular 27/2015: the acceptance result of a task is published"),
    OptionalField(
        "output_value",
        False,
        "licence and sale values are the host's trade secrets "
        "(Law on Intellectual Property Art. 84) until the host agrees",
    ),
)
FIELD_NAMES = tuple(f.name for f in OPTIONAL_FIELDS)
DEFAULT_FIELDS = frozenset(f.name for f in OPTIONAL_FIELDS if f.default)

# Never public, whatever a fund chooses: reviewer identities, scores and comments, drafts,
# proposals not funded or withdrawn, budget lines, PI contacts (e-mail, phone), council
# deliberations and votes. No setting names them, so none can publish them.

PUBLIC_ID_DIGITS = 5


def public_fields(stored: str | None) -> frozenset[str]:
    """A fund's stored choice as the set of optional fields it publishes (None: defaults)."""
    if stored is None:
        return DEFAULT_FIELDS
    return frozenset(n for n in (p.strip() for p in stored.split(",")) if n in FIELD_NAMES)


def stored_fields(names: Iterable[str]) -> str:
    """The set as its column holds it (known names only, in the specification's order)."""
    chosen = set(names)
    return ",".join(n for n in FIELD_NAMES if n in chosen)


def public_id(fund_code: str, year: int, sequence: int) -> str:
    """'NAFOSTED-2026-00012': fund code, contract year, the fund's sequence in that year."""
    return f"{fund_code.upper()}-{year}-{sequence:0{PUBLIC_ID_DIGITS}d}"


def search_text(*texts: str | None) -> str:
    """The folded text a public search matches (only fields that are always public)."""
    return " ".join(fold_text(t) for t in texts if t)


def call_phase(opens_at, closes_at, now) -> str:
    """'upcoming', 'open' or 'closed' at `now`."""
    if now < opens_at:
        return "upcoming"
    return "open" if now < closes_at else "closed"
