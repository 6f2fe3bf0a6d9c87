"""Who sees and does what on a funded project."""

from collections.abc import Iterable
from dataclasses import dataclass

from funds.accounts.models import Role, User
from funds.accounts.permissions import can_administer, is_manager
from funds.projects.models import (
    Award,
    ChangeRequest,
    ChangeStatus,
    Closeout,
    ProgressReport,
    ReportStatus,
)
from funds.projects.rules import (
    CHANGE,
    FINAL_REPORT,
    REPORT,
    FinalReportStatus,
    final_report_status,
    is_running,
)
from funds.proposals.models import Proposal
from funds.proposals.permissions import can_manage_proposal, can_view_as_host


def can_manage_projects(user: User) -> bool:
    """The project pages for managers (awards, milestones, report reviews, changes, output
    imports): fund managers, each on their funds' projects, and administrators."""
    return is_manager(user) or can_administer(user)


def can_view_indicators(user: User) -> bool:
    """Indicators across the funds' projects: fund managers and administrators."""
    return is_manager(user) or can_administer(user)


def can_manage_project(proposal: Proposal, user: User) -> bool:
    """Milestones, reports, changes, council and closeout: the managers of its fund."""
    return can_manage_proposal(proposal, user)


def can_view_project(proposal: Proposal, user: User, *, on_council: bool) -> bool:
    """The PI, the managers of its fund, the project's council members and the officers of
    its host organisation (who read, and act on nothing here)."""
    return user.is_active and (
        proposal.pi_id == user.id
        or can_manage_project(proposal, user)
        or on_council
        or can_view_as_host(proposal, user)
    )


def can_report(proposal: Proposal, user: User) -> bool:
    """Only the PI files reports, requests changes and records outputs."""
    return user.is_active and proposal.pi_id == user.id


def can_evaluate(proposal: Proposal, user: User, *, on_council: bool) -> bool:
    """The acceptance evaluation: the fund's managers and the project's council."""
    return user.is_active and (can_manage_project(proposal, user) or on_council)


def can_add_milestone(award: Award, proposal: Proposal, user: User) -> bool:
    """The fund's managers add milestones while the project runs."""
    return can_manage_project(proposal, user) and is_running(award.status)


def can_override_regime(award: Award, proposal: Proposal, user: User, *, allowed: bool) -> bool:
    """The fund's managers move a running project to another closeout regime, for a
    transitional case, when the setting closeout.transitional_override allows it."""
    return allowed and can_manage_project(proposal, user) and is_running(award.status)


def can_file_report(award: Award, proposal: Proposal, user: User) -> bool:
    """The PI files progress reports (and the final report) while the project runs."""
    return can_report(proposal, user) and is_running(award.status)


def can_request_change(award: Award, proposal: Proposal, user: User) -> bool:
    """The PI asks for changes while the project runs."""
    return can_report(proposal, user) and is_running(award.status)


def can_review_report(report: ProgressReport, proposal: Proposal, user: User) -> bool:
    """The fund's managers accept or return a report that awaits them."""
    return can_manage_project(proposal, user) and REPORT.can_move(
        report.status, ReportStatus.ACCEPTED
    )


def can_decide_change(change: ChangeRequest, proposal: Proposal, user: User) -> bool:
    """The fund's managers approve or refuse a pending change request."""
    return can_manage_project(proposal, user) and CHANGE.can_move(
        change.status, ChangeStatus.APPROVED
    )


def final_report_status_of(closeout: Closeout | None) -> FinalReportStatus:
    return final_report_status(
        closeout is not None and closeout.final_report_at is not None,
        closeout is not None and closeout.closed_at is not None,
    )


def can_submit_final_report(
    award: Award, closeout: Closeout | None, proposal: Proposal, user: User
) -> bool:
    """The PI of a running project files the final report until it is evaluated."""
    return can_file_report(award, proposal, user) and FINAL_REPORT.can_move(
        final_report_status_of(closeout), FinalReportStatus.FILED
    )


@dataclass(frozen=True)
class ProjectActions:
    """What the project page offers this user, decided here rather than in the template."""

    can_add_milestone: bool
    can_file_report: bool
    can_request_change: bool
    can_submit_final_report: bool
    reviewable_reports: frozenset[int]  # ids of the reports this user may accept or return
    decidable_changes: frozenset[int]  # ids of the change requests this user may decide


def project_actions(
    award: Award,
    proposal: Proposal,
    user: User,
    *,
    closeout: Closeout | None,
    reports: Iterable[ProgressReport],
    changes: Iterable[ChangeRequest],
) -> ProjectActions:
    return ProjectActions(
        can_add_milestone=can_add_milestone(award, proposal, user),
        can_file_report=can_file_report(award, proposal, user),
        can_request_change=can_request_change(award, proposal, user),
        can_submit_final_report=can_submit_final_report(award, closeout, proposal, user),
        reviewable_reports=frozenset(r.id for r in reports if can_review_report(r, proposal, user)),
        decidable_changes=frozenset(c.id for c in changes if can_decide_change(c, proposal, user)),
    )


def can_import_outputs(user: User) -> bool:
    """Importing outputs for the projects of the funds one manages (administrators too)."""
    return can_manage_projects(user)


def can_list_projects(user: User) -> bool:
    """The projects page: managers see their funds' projects, everyone else their own and
    those whose council they sit on."""
    return user.is_active and user.has_role(*Role)
