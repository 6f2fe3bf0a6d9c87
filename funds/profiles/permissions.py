"""Who keeps a profile (institution, ORCID, CV, publications)."""

from funds.accounts.models import Role, User


def can_keep_profile(user: User) -> bool:
    """Applicants and reviewers: the profile feeds proposals and reviewer matching."""
    return user.is_active and user.has_role(Role.APPLICANT, Role.REVIEWER)
