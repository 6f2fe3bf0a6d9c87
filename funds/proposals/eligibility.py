"""The eligibility checklist shown before submission: pure functions over plain values.

Each item says what to fix and which section of the form to go to (`anchor`).
Indirect costs are capped as a share of direct costs, as the call sets it
(Decree 265/2025/ND-CP on S&T funds lets each programme set its own cap; ministry
circulars historically used around 10%).
"""

from dataclasses import dataclass, field
from datetime import datetime

from funds.calls.rules import CallRules, Stage, call_is_open, stage_closes_at, stage_is_open
from funds.errors import N_
from funds.rules import check_amount

INDIRECT = "indirect"


@dataclass(frozen=True)
class ProposalFacts:
    """What the checklist needs to know of a proposal."""

    title: str
    title_en: str
    abstract: str
    keywords: str
    area_code: str | None
    trl_now: int | None
    trl_target: int | None
    duration_months: int | None
    budget_lines: tuple[tuple[str, int, int], ...]  # (category, fiscal year, đồng)
    work_packages: int
    attachment_kinds: frozenset[str]
    other_active_by_pi: int = 0
    host_id: int | None = None  # the host organisation (funds.hosts), by reference
    stage: str = Stage.FULL  # a two-stage call's pre-proposal is an outline (docs/two-stage.md)
    requested_vnd: int = 0  # a pre-proposal's budget envelope


@dataclass(frozen=True)
class CheckItem:
    """One check: `message` says what to fix (shown while it fails, and as the error on
    submission); `done` says in positive words what holds (shown once it passes)."""

    key: str
    ok: bool
    message: str
    anchor: str
    params: dict = field(default_factory=dict)
    done: str = ""

    @property
    def text(self) -> str:
        """The message to show now: what holds, or what to fix."""
        return self.done if self.ok and self.done else self.message


@dataclass(frozen=True)
class BudgetTotals:
    direct_vnd: int
    indirect_vnd: int
    total_vnd: int
    by_year: dict
    by_category: dict


def budget_totals(lines) -> BudgetTotals:
    """Totals of (category, year, amount) lines, in whole đồng."""
    by_year: dict[int, int] = {}
    by_category: dict[str, int] = {}
    indirect = direct = 0
    for category, year, amount in lines:
        by_year[year] = by_year.get(year, 0) + amount
        by_category[category] = by_category.get(category, 0) + amount
        if category == INDIRECT:
            indirect += amount
        else:
            direct += amount
    return BudgetTotals(direct, indirect, direct + indirect, by_year, by_category)


def indirect_within_cap(totals: BudgetTotals, cap_pct: int) -> bool:
    """Indirect ≤ cap% of direct, compared exactly in integers."""
    return totals.indirect_vnd * 100 <= cap_pct * totals.direct_vnd


def _item(key, ok, message, anchor, done="", **params) -> CheckItem:
    return CheckItem(key, bool(ok), message, anchor, params, done)


def _sections(f: ProposalFacts, rules: CallRules) -> list[CheckItem]:
    return [
        _item(
            "title",
            f.title.strip() and f.title_en.strip(),
            N_("Give the title in Vietnamese and in English."),
            "summary",
            N_("The title is given in Vietnamese and in English."),
        ),
        _item(
            "abstract",
            f.abstract.strip() and len(f.abstract) <= rules.abstract_max_chars,
            N_("Write an abstract of at most %(limit)s characters."),
            "summary",
            N_("The abstract is written, within %(limit)s characters."),
            limit=rules.abstract_max_chars,
        ),
        _item(
            "keywords",
            f.keywords.strip(),
            N_("Add keywords."),
            "summary",
            N_("Keywords are given."),
        ),
        _item(
            "trl",
            f.trl_now and f.trl_target and f.trl_now <= f.trl_target,
            N_("Give the technology readiness level now and targeted (1–9, target not below now)."),
            "summary",
            N_("The technology readiness levels, now and targeted, are given."),
        ),
        _item(
            "work_plan",
            f.work_packages > 0,
            N_("Add at least one work package with owner, task, due month and deliverable."),
            "workplan",
            N_("The work plan has %(count)s work package(s)."),
            count=f.work_packages,
        ),
    ]


def _area_ok(f: ProposalFacts, rules: CallRules) -> bool:
    return rules.open_to_all_areas or f.area_code in rules.eligible_areas


def _budget(f: ProposalFacts, rules: CallRules) -> list[CheckItem]:
    totals = budget_totals(f.budget_lines)
    amounts_ok = all(not check_amount(a) for _c, _y, a in f.budget_lines)
    return [
        _item(
            "budget",
            amounts_ok and 0 < totals.total_vnd <= rules.ceiling_vnd,
            N_(
                "Keep the budget above zero and within the ceiling of %(ceiling_vnd)s "
                "(it is %(total_vnd)s)."
            ),
            "budget",
            N_("The budget of %(total_vnd)s is within the ceiling of %(ceiling_vnd)s."),
            ceiling_vnd=rules.ceiling_vnd,
            total_vnd=totals.total_vnd,
        ),
        _item(
            "indirect",
            indirect_within_cap(totals, rules.indirect_cap_pct),
            N_("Indirect costs may be at most %(cap)s%% of direct costs."),
            "budget",
            N_("Indirect costs are within %(cap)s%% of direct costs."),
            cap=rules.indirect_cap_pct,
        ),
    ]


def _open(f: ProposalFacts, rules: CallRules, now: datetime) -> CheckItem:
    if rules.two_stage and f.stage == Stage.FULL:
        return _item(
            "open",
            stage_is_open(rules, f.stage, now),
            N_("Full proposals are not accepted now."),
            "call",
            N_("Full proposals are accepted until %(closes_at)s."),
            closes_at=stage_closes_at(rules, f.stage),
        )
    return _item(
        "open",
        call_is_open(rules, now),
        N_("The call is not open."),
        "call",
        N_("The call is open until %(closes_at)s."),
        closes_at=rules.closes_at,
    )


def _area(f: ProposalFacts, rules: CallRules) -> CheckItem:
    return _item(
        "area",
        _area_ok(f, rules),
        N_("Choose a strategic technology area eligible in this call."),
        "summary",
        N_("The strategic technology area is eligible in this call."),
    )


def _per_pi(f: ProposalFacts, rules: CallRules) -> CheckItem:
    limit = rules.max_proposals_per_pi
    return _item(
        "per_pi",
        not limit or f.other_active_by_pi < limit,
        N_("This call accepts at most %(limit)s proposals per principal investigator."),
        "call",
        N_("You have %(count)s other proposal(s) in this call, within the limit of %(limit)s.")
        if limit
        else N_("This call sets no limit on proposals per principal investigator."),
        limit=limit,
        count=f.other_active_by_pi,
    )


def outline_eligibility(f: ProposalFacts, rules: CallRules, now: datetime) -> list[CheckItem]:
    """A pre-proposal's checks: a short outline, a budget envelope within the ceiling and the
    call's area and per-PI limits; the work plan, budget table and files come at full stage."""
    return [
        _open(f, rules, now),
        _area(f, rules),
        _item(
            "title",
            f.title.strip() and f.title_en.strip(),
            N_("Give the title in Vietnamese and in English."),
            "summary",
            N_("The title is given in Vietnamese and in English."),
        ),
        _item(
            "outline",
            f.abstract.strip() and len(f.abstract) <= rules.outline_max_chars,
            N_("Write the pre-proposal's outline (the abstract) in at most %(limit)s characters."),
            "summary",
            N_("The outline is written, within %(limit)s characters."),
            limit=rules.outline_max_chars,
        ),
        _item(
            "keywords",
            f.keywords.strip(),
            N_("Add keywords."),
            "summary",
            N_("Keywords are given."),
        ),
        _item(
            "envelope",
            not check_amount(f.requested_vnd) and 0 < f.requested_vnd <= rules.ceiling_vnd,
            N_("Give the budget envelope requested, above zero and within %(ceiling_vnd)s."),
            "summary",
            N_("The budget envelope of %(total_vnd)s is within the ceiling of %(ceiling_vnd)s."),
            ceiling_vnd=rules.ceiling_vnd,
            total_vnd=f.requested_vnd,
        ),
        _per_pi(f, rules),
    ]


def eligibility(f: ProposalFacts, rules: CallRules, now: datetime) -> list[CheckItem]:
    """Every check before submission, passing or failing, in the order of the form (a
    two-stage call's pre-proposal has its own, shorter list: outline_eligibility)."""
    if rules.two_stage and f.stage == Stage.OUTLINE:
        return outline_eligibility(f, rules, now)
    missing = sorted(rules.required_attachments - f.attachment_kinds)
    return [
        _open(f, rules, now),
        _area(f, rules),
        *_sections(f, rules),
        _item(
            "duration",
            f.duration_months and 1 <= f.duration_months <= rules.max_duration_months,
            N_("Set a duration between 1 and %(months)s months."),
            "summary",
            N_("The duration is within %(months)s months."),
            months=rules.max_duration_months,
        ),
        *_budget(f, rules),
        _item(
            "attachments",
            not missing,
            N_("Attach the required files: %(kinds)s."),
            "attachments",
            N_("The required files are attached.")
            if rules.required_attachments
            else N_("This call requires no attached file."),
            kinds=", ".join(missing),
            missing=tuple(missing),  # attachment kinds, shown by their labels
        ),
        _item(
            "host",
            not rules.requires_endorsement or f.host_id is not None,
            N_(
                "Name your host organisation from the register: this call requires its "
                "endorsement after submission."
            ),
            "summary",
            N_("Your host organisation is named; it endorses the proposal after submission.")
            if rules.requires_endorsement
            else N_("This call does not require the host organisation's endorsement."),
        ),
        _per_pi(f, rules),
    ]


def failing(items: list[CheckItem]) -> list[CheckItem]:
    return [i for i in items if not i.ok]
