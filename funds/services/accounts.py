"""Accounts: registration, creation by an admin, sign-in, preferences."""

from sqlmodel import Session, select
from werkzeug.security import check_password_hash, generate_password_hash

from funds import audit
from funds.clock import utcnow
from funds.errors import N_, DuplicateAccount, NotAllowed, RuleViolation
from funds.models.accounts import Role, User, UserRole, new_session_token
from funds.permissions import can_administer
from funds.rules import Violation

MIN_PASSWORD_LENGTH = 12  # OWASP ASVS 4.0.3 §2.1.1: at least 12 characters, no composition rules
CONSENT_VERSION = "2026-01"  # Law 91/2025/QH15 on Personal Data Protection, in force 1 January 2026
LOCALES = ("vi", "en")
# werkzeug's default (scrypt); the portal may set a cheaper one for tests only.
settings = {"password_hash_method": "scrypt"}


def password_violations(password: str) -> list[Violation]:
    """Length is the rule; composition rules are not (ASVS 2.1.9)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        msg = N_("Passwords need at least %(n)s characters.")
        return [Violation("password", msg, {"n": MIN_PASSWORD_LENGTH})]
    if len(password) > 128:
        return [Violation("password", N_("Passwords can have at most 128 characters."))]
    return []


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == email.strip().lower())).first()


def _new_user(session: Session, *, email: str, name: str, password: str, roles, **extra) -> User:
    violations = password_violations(password)
    if violations:
        raise RuleViolation(violations[0].message, violations, **violations[0].params)
    if find_user_by_email(session, email):
        raise DuplicateAccount(N_("An account with this e-mail address already exists."))
    user = User(
        email=email.strip().lower(),
        name=name.strip(),
        password_hash=generate_password_hash(password, settings["password_hash_method"]),
        **extra,
    )
    user.role_rows = [UserRole(role=Role(r)) for r in sorted(set(roles))]
    session.add(user)
    session.flush()
    return user


def register_applicant(
    session: Session, *, email: str, name: str, password: str, institution: str = "",
    orcid: str | None = None, consent: bool, locale: str = "vi",
) -> User:
    """A scientist registers; explicit consent to personal-data processing is required."""
    if consent is not True:
        raise RuleViolation(N_("Consent to the processing of your personal data is required."))
    user = _new_user(
        session, email=email, name=name, password=password, roles=[Role.APPLICANT],
        institution=institution.strip(), orcid=orcid or None,
        locale=locale if locale in LOCALES else "vi",
        consent_at=utcnow(), consent_version=CONSENT_VERSION,
    )
    audit.record(session, actor_id=user.id, object_type="user", object_id=user.id,
                 action="register", to_state="active", detail="consent " + CONSENT_VERSION)
    return user


def create_user(
    session: Session, *, actor: User | None, email: str, name: str, password: str,
    roles: list[str], institution: str = "", locale: str = "vi",
) -> User:
    """An admin creates an account (reviewers, managers); `actor=None` only for bootstrap."""
    if actor is not None and not can_administer(actor):
        raise NotAllowed(N_("Only administrators can create accounts."))
    if not roles:
        raise RuleViolation(N_("Choose at least one role."))
    user = _new_user(session, email=email, name=name, password=password, roles=roles,
                     institution=institution.strip(), locale=locale)
    audit.record(session, actor_id=actor.id if actor else None, object_type="user",
                 object_id=user.id, action="create", to_state="active",
                 detail="roles " + ",".join(sorted(roles)))
    return user


def authenticate(session: Session, *, email: str, password: str) -> User | None:
    """The active user with these credentials, or None (never says which part was wrong)."""
    user = find_user_by_email(session, email)
    if user is None or not user.is_active:
        generate_password_hash(password)  # spend the same time as a real check
        return None
    return user if check_password_hash(user.password_hash, password) else None


def set_locale(session: Session, *, actor: User, locale: str) -> None:
    """Remember the user's language."""
    if locale in LOCALES:
        actor.locale = locale
        session.add(actor)
        session.flush()


def sign_out_everywhere(session: Session, *, actor: User) -> None:
    """Revoke every session of this user by rotating their session token."""
    actor.session_token = new_session_token()
    session.add(actor)
    audit.record(session, actor_id=actor.id, object_type="user", object_id=actor.id,
                 action="sign_out_everywhere")
    session.flush()
