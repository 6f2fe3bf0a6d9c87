"""Pure rules of councils: the defaults per kind with their legal basis, composition,
quorum, the pass rule and the state machines of councils, meetings and agenda items.

Legal basis (docs/councils.md; ../LEGAL_NOTES in the project history):
- Circular 20/2023/TT-BKHCN: selection councils for national tasks have 7–9 members — a
  chair, a vice-chair, a scientific secretary, two reviewer members (ủy viên phản biện) and
  others, including a representative of the ordering body.
- Ministry practice (e.g. Circular 45/2016/TT-BTTTT): a council meets with at least two
  thirds of its members present, including the chair and the secretary; a conclusion passes
  with more than three quarters of the members present, by show of hands or secret ballot.
- NAFOSTED: standing scientific committees per discipline, members serving 3-year terms, at
  most 2 consecutive.
Rules differ by fund, so each fund may store its own (CouncilRules); these are the defaults.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from funds.errors import N_
from funds.rules import Violation
from funds.states import Machine, transitions
from reviews.conflicts.rules import normalise
from reviews.councils.meetings.models import ItemStatus as IS
from reviews.councils.meetings.models import MeetingMode
from reviews.councils.meetings.models import MeetingStatus as MS
from reviews.councils.meetings.models import Recommendation as R
from reviews.councils.models import CouncilKind, CouncilRole, Represents
from reviews.councils.models import CouncilStatus as CS

COUNCIL = Machine(
    "council",
    CS,
    transitions(
        {CS.FORMING: {CS.ACTIVE, CS.DISSOLVED}, CS.ACTIVE: {CS.DISSOLVED}, CS.DISSOLVED: set()}
    ),
    {CS.FORMING: N_("Forming"), CS.ACTIVE: N_("Active"), CS.DISSOLVED: N_("Dissolved")},
    refusal=N_("This council cannot change that way."),
)

MEETING = Machine(
    "meeting",
    MS,
    transitions(
        {
            MS.SCHEDULED: {MS.OPEN, MS.CANCELLED},
            MS.OPEN: {MS.CLOSED},
            MS.CLOSED: set(),
            MS.CANCELLED: set(),
        }
    ),
    {
        MS.SCHEDULED: N_("Scheduled"),
        MS.OPEN: N_("In session"),
        MS.CLOSED: N_("Closed"),
        MS.CANCELLED: N_("Cancelled"),
    },
    refusal=N_("The meeting is not in a state that allows this."),
)

ITEM = Machine(
    "meeting_item",
    IS,
    transitions(
        {
            IS.PENDING: {IS.DELIBERATING},
            IS.DELIBERATING: {IS.VOTING},
            IS.VOTING: {IS.CONCLUDED},
            IS.CONCLUDED: set(),
        }
    ),
    {
        IS.PENDING: N_("Waiting"),
        IS.DELIBERATING: N_("Under deliberation"),
        IS.VOTING: N_("Voting"),
        IS.CONCLUDED: N_("Concluded"),
    },
    refusal=N_("This item is not in a state that allows this."),
)

CHOICES: dict[str, tuple[R, ...]] = {
    CouncilKind.SELECTION: (R.SELECT, R.SELECT_WITH_CHANGES, R.DO_NOT_SELECT),
    CouncilKind.STANDING: (R.SELECT, R.SELECT_WITH_CHANGES, R.DO_NOT_SELECT),
    CouncilKind.ACCEPTANCE: (R.EXCELLENT, R.PASS, R.FAIL),
    CouncilKind.MIDTERM: (R.CONTINUE, R.ADJUST, R.STOP),
}


@dataclass(frozen=True)
class CouncilRuleSpec:
    """A fund's rules for one kind of council, as plain values."""

    kind: str
    min_members: int = 7
    max_members: int = 9
    required_roles: tuple[tuple[str, int], ...] = (
        (CouncilRole.CHAIR, 1),
        (CouncilRole.SECRETARY, 1),
        (CouncilRole.REVIEWER_MEMBER, 2),
    )
    quorum: Fraction = Fraction(2, 3)
    quorum_needs_chair: bool = True
    quorum_needs_secretary: bool = True
    pass_share: Fraction = Fraction(3, 4)
    pass_strict: bool = True
    ballot: str = "secret"
    min_average_pct: int | None = None
    criterion_minimums: bool = True
    sheets_after_close: bool = True
    term_years: int = 3
    max_consecutive_terms: int = 2
    instrument: str | None = "circular-20-2023-tt-bkhcn"
    article: str = ""


DEFAULTS: dict[str, CouncilRuleSpec] = {
    CouncilKind.SELECTION: CouncilRuleSpec(CouncilKind.SELECTION),
    CouncilKind.ACCEPTANCE: CouncilRuleSpec(
        CouncilKind.ACCEPTANCE, min_members=5, max_members=9, instrument="law-93-2025-qh15"
    ),
    CouncilKind.MIDTERM: CouncilRuleSpec(
        CouncilKind.MIDTERM,
        min_members=3,
        max_members=7,
        required_roles=((CouncilRole.CHAIR, 1), (CouncilRole.SECRETARY, 1)),
        instrument="law-93-2025-qh15",
    ),
    CouncilKind.STANDING: CouncilRuleSpec(
        CouncilKind.STANDING,
        min_members=5,
        max_members=15,
        required_roles=((CouncilRole.CHAIR, 1), (CouncilRole.SECRETARY, 1)),
        instrument=None,
    ),
}


def parse_roles(text: str) -> tuple[tuple[str, int], ...]:
    """ "chair,secretary,reviewer_member*2" → ((chair, 1), (secretary, 1), (reviewer_member, 2))."""
    found = []
    for part in (p.strip() for p in text.split(",") if p.strip()):
        role, _, count = part.partition("*")
        found.append((role.strip(), int(count) if count.strip().isdigit() else 1))
    return tuple(found)


def format_roles(roles: Iterable[tuple[str, int]]) -> str:
    return ",".join(role if n == 1 else f"{role}*{n}" for role, n in roles)


def composition_problems(spec: CouncilRuleSpec, roles: list[str]) -> list[Violation]:
    """What keeps a council of seats with these roles from being complete under the rules:
    size out of range, a required role missing, more than one chair or secretary."""
    found = []
    if not spec.min_members <= len(roles) <= spec.max_members:
        found.append(
            Violation(
                "members",
                N_("A council of this kind has %(min)s to %(max)s members; it has %(count)s."),
                {"min": spec.min_members, "max": spec.max_members, "count": len(roles)},
            )
        )
    for role, needed in spec.required_roles:
        if roles.count(role) < needed:
            found.append(
                Violation(
                    "members",
                    N_("The council needs %(count)s member(s) in the role %(role)s."),
                    {"count": needed, "role": role},
                )
            )
    for role in (CouncilRole.CHAIR, CouncilRole.SECRETARY):
        if roles.count(role) > 1:
            found.append(
                Violation("members", N_("A council has one %(role)s."), {"role": str(role)})
            )
    return found


@dataclass(frozen=True)
class Quorum:
    """Whether enough members are present to deliberate and vote on an item."""

    ok: bool
    members: int  # seats on the council, less those conflicted on the item
    present: int  # present and not conflicted
    needed: int
    reasons: list[str] = field(default_factory=list)


def quorum(
    spec: CouncilRuleSpec,
    seats: Mapping[int, str],
    present: Iterable[int],
    conflicted: Iterable[int] = (),
) -> Quorum:
    """Quorum over `seats` ({seat id: role}) with `present` seat ids, leaving out the seats
    conflicted on the item: at least spec.quorum of the remaining members present, and the
    chair and the secretary among them when the rules ask (a conflicted chair or secretary
    cannot be required for that item)."""
    out = set(conflicted)
    members = {s: r for s, r in seats.items() if s not in out}
    here = {s for s in present if s in members}
    needed = -(-spec.quorum.numerator * len(members) // spec.quorum.denominator)  # ceil
    reasons = []
    if len(here) < needed:
        reasons.append(N_("Fewer members are present than the quorum needs."))
    for role, required in (
        (CouncilRole.CHAIR, spec.quorum_needs_chair),
        (CouncilRole.SECRETARY, spec.quorum_needs_secretary),
    ):
        holders = [s for s, r in members.items() if r == role]
        if required and holders and not any(s in here for s in holders):
            reasons.append(
                N_("The chair must be present.")
                if role == CouncilRole.CHAIR
                else N_("The secretary must be present.")
            )
    return Quorum(not reasons and len(members) > 0, len(members), len(here), needed, reasons)


@dataclass(frozen=True)
class Conclusion:
    """The outcome of an item's vote under the pass rule."""

    recommendation: str  # one of CHOICES[kind], or no_conclusion
    counts: dict[str, int]
    voters: int  # members present and not conflicted: the base of the pass rule
    tie: bool = False
    reasons: list[str] = field(default_factory=list)


def passes_share(votes: int, voters: int, share: Fraction, strict: bool) -> bool:
    if voters == 0:
        return False
    value = Fraction(votes, voters)
    return value > share if strict else value >= share


def conclude(
    spec: CouncilRuleSpec,
    counts: Mapping[str, int],
    voters: int,
    *,
    average_pct: Fraction | None = None,
    criteria_below: Iterable[str] = (),
) -> Conclusion:
    """The council's recommendation on an item from the vote counts.

    The favourable recommendation (select; pass; continue) is reached when more than the
    pass share (default 3/4, strictly) of the members present and not conflicted voted for
    it or its variant (select with changes; excellent; adjust), and, when the rules say so,
    the members' mean score reaches min_average_pct with no criterion mean below its
    threshold. Within a favourable conclusion the variant is chosen when it alone holds the
    pass share (excellent; select with changes; adjust). An unfavourable recommendation (do
    not select; fail; stop) needs the pass share itself. Otherwise there is no conclusion;
    when the two sides are equal it is a tie. Ties and failures are shown, never broken."""
    kind = CouncilKind(spec.kind)
    favourable, variant, against = _sides(kind)
    counts = {str(c): int(counts.get(c, 0)) for c in CHOICES[kind]}
    reasons: list[str] = []
    for_ = counts[favourable] + counts[variant]
    score_ok = True
    if spec.min_average_pct is not None and (
        average_pct is None or average_pct < spec.min_average_pct
    ):
        score_ok = False
        reasons.append(N_("The members' mean score is below the council's threshold."))
    below = list(criteria_below)
    if spec.criterion_minimums and below:
        score_ok = False
        reasons.append(N_("A criterion's mean score is below its minimum."))
    if score_ok and passes_share(for_, voters, spec.pass_share, spec.pass_strict):
        alone = passes_share(counts[variant], voters, spec.pass_share, spec.pass_strict)
        chosen = variant if alone else favourable
        return Conclusion(str(chosen), counts, voters, reasons=reasons)
    if passes_share(counts[against], voters, spec.pass_share, spec.pass_strict):
        return Conclusion(str(against), counts, voters, reasons=reasons)
    if score_ok:
        reasons.append(N_("No recommendation reached the pass rule."))
    return Conclusion(
        str(R.NO_CONCLUSION),
        counts,
        voters,
        tie=for_ == counts[against] and for_ > 0,
        reasons=reasons,
    )


def is_tie(kind: str, counts: Mapping[str, int]) -> bool:
    """The two sides of a vote are equal (and someone voted): shown as a tie, never broken.
    The same test as conclude's, for showing a stored no_conclusion afterwards."""
    favourable, variant, against = _sides(CouncilKind(kind))
    for_ = counts.get(favourable, 0) + counts.get(variant, 0)
    return for_ == counts.get(against, 0) and for_ > 0


def _sides(kind: CouncilKind) -> tuple[str, str, str]:
    """(favourable, its variant, unfavourable) choices of a kind of council."""
    if kind == CouncilKind.ACCEPTANCE:
        return R.PASS, R.EXCELLENT, R.FAIL
    if kind == CouncilKind.MIDTERM:
        return R.CONTINUE, R.ADJUST, R.STOP
    return R.SELECT, R.SELECT_WITH_CHANGES, R.DO_NOT_SELECT


def term_problems(
    spec: CouncilRuleSpec, terms: list[tuple[date, date]], new_start: date
) -> list[Violation]:
    """A standing committee's member may serve at most max_consecutive_terms in a row: the
    new term starting `new_start` is refused when the member's previous terms end-to-start
    already make that many."""
    run = 0
    expected = new_start
    for start, end in sorted(terms, key=lambda t: t[1], reverse=True):
        if abs((expected - end).days) > 31:
            break
        run += 1
        expected = start
    if run >= spec.max_consecutive_terms:
        return [
            Violation(
                "term_start",
                N_("A member serves at most %(count)s consecutive terms."),
                {"count": spec.max_consecutive_terms},
            )
        ]
    return []


KIND_LABELS: dict[str, str] = {
    CouncilKind.SELECTION: N_("Selection council"),
    CouncilKind.MIDTERM: N_("Mid-term council"),
    CouncilKind.ACCEPTANCE: N_("Acceptance council"),
    CouncilKind.STANDING: N_("Standing scientific committee"),
}

ROLE_LABELS: dict[str, str] = {
    CouncilRole.CHAIR: N_("Chair"),
    CouncilRole.VICE_CHAIR: N_("Vice-chair"),
    CouncilRole.SECRETARY: N_("Scientific secretary"),
    CouncilRole.REVIEWER_MEMBER: N_("Reviewer member"),
    CouncilRole.MEMBER: N_("Member"),
}

REPRESENTS_LABELS: dict[str, str] = {
    Represents.NONE: N_("—"),
    Represents.ORDERING_BODY: N_("Representative of the ordering body"),
    Represents.ENTERPRISE: N_("Representative of an enterprise"),
}

MODE_LABELS: dict[str, str] = {
    MeetingMode.IN_PERSON: N_("In person"),
    MeetingMode.ONLINE: N_("Online"),
    MeetingMode.MIXED: N_("In person and online"),
}

# NAFOSTED's rule for its scientific committees and reviewers: a doctorate or a
# professorship, and publications in the last five years (docs/councils.md).
ELIGIBILITY_YEARS = 5
_DOCTORATE = {"ts", "tskh", "pgs", "gs", "dr", "phd", "prof", "professor", "doctor", "dsc"}
_DOCTORATE_WORDS = ("tien si", "giao su")


@dataclass(frozen=True)
class Eligibility:
    """What a profile shows of a member's eligibility; None where it shows nothing."""

    doctorate: bool | None  # None: the profile gives no academic title
    recent_publications: int | None  # None: the profile lists no publication at all
    warnings: list[Violation]


def eligibility(title: str, publication_years: list[int | None], current_year: int) -> Eligibility:
    """Warnings (never refusals: the manager may override them with a reason) from the
    academic title on the profile and the years of its publications."""
    words = normalise(title).split()
    text = " ".join(words)
    doctorate = (
        None
        if not words
        else bool(_DOCTORATE & set(words)) or any(w in text for w in _DOCTORATE_WORDS)
    )
    recent = (
        None
        if not publication_years
        else sum(
            1
            for y in publication_years
            if y is not None and 0 <= current_year - y < ELIGIBILITY_YEARS
        )
    )
    warnings = []
    if doctorate is None:
        warnings.append(
            Violation(
                "eligibility",
                N_("Doctorate or professorship: unknown (no title on the profile)."),
            )
        )
    elif not doctorate:
        warnings.append(
            Violation("eligibility", N_("The profile shows no doctorate or professorship."))
        )
    if recent is None:
        warnings.append(
            Violation(
                "eligibility", N_("Publications in the last five years: unknown (none listed).")
            )
        )
    elif recent == 0:
        warnings.append(Violation("eligibility", N_("No publication in the last five years.")))
    return Eligibility(doctorate, recent, warnings)


def term_end_default(start: date, years: int) -> date:
    """The end of a term of `years` years starting `start` (29 Feb → 28 Feb)."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)
