"""Accounts: registration with a verified address, creation by an administrator, passwords,
e-mail changes, deactivation and roles, preferences.

Services flush and return; they never send mail themselves: those that need an e-mail
return the secret for the caller to send after the commit.
"""

from dataclasses import dataclass

from sqlmodel import Session, col, select

from funds import audit
from funds.accounts import rules as account_rules
from funds.accounts.errors import InvalidToken
from funds.accounts.models import Role, User, UserRole
from funds.accounts.passwords import hash_password, unusable_password, verify_password
from funds.accounts.permissions import can_administer
from funds.accounts.signin import services as account_services
from funds.clock import utcnow
from funds.errors import N_, DuplicateAccount, NotAllowed, NotFound, RuleViolation

MIN_PASSWORD_LENGTH = account_rules.MIN_PASSWORD_LENGTH
CONSENT_VERSION = "2026-01"  # Law 91/2025/QH15 on Personal Data Protection, in force 1 January 2026
LOCALES = ("vi", "en")


def password_violations(password: str, *, email: str = "", name: str = ""):
    return account_rules.password_violations(password, email=email, name=name)


def _check_password(password: str, *, email: str = "", name: str = "") -> None:
    violations = password_violations(password, email=email, name=name)
    if violations:
        raise RuleViolation(violations[0].message, violations, **violations[0].params)


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == account_rules.fold_email(email))).first()


def _new_user(
    session: Session, *, email: str, name: str, password: str | None, roles, **extra
) -> User:
    if password is not None:
        _check_password(password, email=email, name=name)
    if find_user_by_email(session, email):
        raise DuplicateAccount(N_("An account with this e-mail address already exists."))
    user = User(
        email=account_rules.fold_email(email),
        name=name.strip(),
        password_hash=hash_password(password) if password else unusable_password(),
        password_changed_at=utcnow() if password else None,
        **extra,
    )
    user.role_rows = [UserRole(role=Role(r)) for r in sorted(set(roles))]  # type: ignore[call-arg]
    session.add(user)
    session.flush()
    return user


@dataclass(frozen=True)
class Registration:
    """A new account waiting for its address to be confirmed, or a known address."""

    user: User | None
    secret: str | None  # e-mail it to the address in a confirmation link
    existing: User | None = None  # the address has an account: tell its owner, not the visitor


def register_applicant(
    session: Session,
    *,
    email: str,
    name: str,
    password: str,
    institution: str = "",
    orcid: str | None = None,
    consent: bool,
    locale: str = "vi",
) -> Registration:
    """A scientist registers; the account can act once the e-mailed link is opened.

    Whether the address already has an account is never told to the visitor (ASVS 5.0
    V6.3.8): the caller shows the same page and e-mails the owner instead."""
    if consent is not True:
        raise RuleViolation(N_("Consent to the processing of your personal data is required."))
    _check_password(password, email=email, name=name)
    existing = find_user_by_email(session, email)
    if existing is not None and existing.email_verified_at is not None:
        return Registration(None, None, existing=existing)
    if existing is not None:  # never confirmed: whoever controls the address starts afresh
        _claim_unverified(session, existing, name=name, password=password)
        user = existing
        user.institution, user.orcid = institution.strip(), orcid or None
    else:
        user = _new_user(
            session,
            email=email,
            name=name,
            password=password,
            roles=[Role.APPLICANT],
            institution=institution.strip(),
            orcid=orcid or None,
        )
    user.locale = locale if locale in LOCALES else "vi"
    user.consent_at, user.consent_version = utcnow(), CONSENT_VERSION
    session.add(user)
    audit.record(
        session,
        actor_id=user.id,
        object_type="user",
        object_id=user.id,
        action="register",
        to_state="unverified",
        detail="consent " + CONSENT_VERSION,
    )
    secret = account_services.issue_token(session, purpose="verify_email", user_id=user.id)
    return Registration(user, secret)


def _claim_unverified(session: Session, user: User, *, name: str, password: str) -> None:
    """An unconfirmed account proves nothing: its name and password are replaced."""
    user.name, user.password_hash = name.strip(), hash_password(password)
    user.password_changed_at = utcnow()
    account_services.revoke_sessions(session, user_id=user.id)


def _link_owner(session: Session, *, purpose: str, secret: str, use: bool, active: bool):
    """The token behind an e-mailed link and the account it belongs to (used up if `use`)."""
    check = account_services.use_token if use else account_services.check_token
    token = check(session, purpose=purpose, raw=secret)
    user = session.get(User, token.user_id)
    if user is None or (active and not user.is_active):
        raise InvalidToken(
            N_("This link is not valid any more. Links work once and expire; ask for a new one.")
        )
    return token, user


def confirm_email(session: Session, *, secret: str) -> User:
    """The registration link was opened: the address is confirmed and the account can act."""
    _token, user = _link_owner(
        session, purpose="verify_email", secret=secret, use=True, active=False
    )
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
        session.add(user)
        audit.record(
            session,
            actor_id=user.id,
            object_type="user",
            object_id=user.id,
            action="confirm_email",
            from_state="unverified",
            to_state="active",
        )
    session.flush()
    return user


def resend_confirmation(session: Session, *, user: User) -> str | None:
    if user.email_verified_at is not None:
        return None
    return account_services.issue_token(session, purpose="verify_email", user_id=user.id)


def create_user(
    session: Session,
    *,
    actor: User | None,
    email: str,
    name: str,
    password: str | None,
    roles: list[str],
    institution: str = "",
    locale: str = "vi",
) -> User:
    """An admin creates an account; `actor=None` only for bootstrap (CLI, seeds, tests).

    Without a password the account waits for its owner to set one through an e-mailed
    link (`password_setup_secret`): an administrator never knows a user's password."""
    if actor is not None and not can_administer(actor):
        raise NotAllowed(N_("Only administrators can create accounts."))
    if not roles:
        raise RuleViolation(N_("Choose at least one role."))
    user = _new_user(
        session,
        email=email,
        name=name,
        password=password,
        roles=roles,
        institution=institution.strip(),
        locale=locale,
        email_verified_at=utcnow() if password else None,
    )
    audit.record(
        session,
        actor_id=actor.id if actor else None,
        object_type="user",
        object_id=user.id,
        action="create",
        to_state="active",
        detail="roles " + ",".join(sorted(roles)),
    )
    return user


def password_setup_secret(session: Session, *, user: User) -> str:
    """A link for the owner of an administrator-created account to choose a password."""
    return account_services.issue_token(session, purpose="set_password", user_id=user.id)


def authenticate(session: Session, *, email: str, password: str) -> User | None:
    """The active, confirmed user with these credentials, or None (never says which part)."""
    result = account_services.sign_in(session, email=email, password=password, client_ip="")
    return result.user


# --- Passwords -----------------------------------------------------------------------------


def change_password(
    session: Session, *, actor: User, current: str, new: str, keep_session_id: int | None = None
) -> None:
    """Change one's own password; every other session ends (ASVS 5.0 V6.2.3, V7.4.3)."""
    ok, _ = verify_password(actor.password_hash, current)
    if not ok:
        raise RuleViolation(
            N_("The current password is not right."),
            [account_rules.Violation("current", N_("The current password is not right."))],
        )
    _set_password(session, actor, new, action="change_password", keep_session_id=keep_session_id)


def _set_password(
    session: Session, user: User, new: str, *, action: str, keep_session_id: int | None = None
) -> None:
    _check_password(new, email=user.email, name=user.name)
    user.password_hash, user.password_changed_at = hash_password(new), utcnow()
    session.add(user)
    account_services.revoke_sessions(session, user_id=user.id, keep_id=keep_session_id)
    account_services.clear_throttle(session, email=user.email)
    audit.record(session, actor_id=user.id, object_type="user", object_id=user.id, action=action)
    session.flush()


def request_password_reset(session: Session, *, email: str) -> tuple[User, str] | None:
    """A reset link for an active account; None otherwise (the visitor is told the same)."""
    user = find_user_by_email(session, email)
    if user is None or not user.is_active:
        return None
    audit.record(
        session,
        actor_id=None,
        object_type="user",
        object_id=user.id,
        action="request_password_reset",
    )
    return user, account_services.issue_token(session, purpose="reset_password", user_id=user.id)


def reset_password(
    session: Session, *, secret: str, new: str, purpose: str = "reset_password"
) -> User:
    """Set a new password from an e-mailed link; the address is thereby confirmed."""
    _token, user = _link_owner(session, purpose=purpose, secret=secret, use=False, active=True)
    _set_password(session, user, new, action=purpose)
    account_services.use_token(session, purpose=purpose, raw=secret)
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
        session.add(user)
    session.flush()
    return user


def unlock_account(session: Session, *, secret: str) -> User:
    """The owner of a locked account opened the e-mailed link: the lock is lifted."""
    _token, user = _link_owner(session, purpose="unlock", secret=secret, use=True, active=False)
    account_services.clear_throttle(session, email=user.email)
    audit.record(session, actor_id=user.id, object_type="user", object_id=user.id, action="unlock")
    return user


def unlock_secret(session: Session, *, user: User) -> str:
    return account_services.issue_token(session, purpose="unlock", user_id=user.id)


# --- E-mail address ------------------------------------------------------------------------


def request_email_change(
    session: Session, *, actor: User, new_email: str, password: str
) -> str | None:
    """Confirm with the password; the new address gets a link. None if it is taken (the
    owner is not told which addresses have accounts)."""
    ok, _ = verify_password(actor.password_hash, password)
    if not ok:
        raise RuleViolation(
            N_("The current password is not right."),
            [account_rules.Violation("password", N_("The current password is not right."))],
        )
    new_email = account_rules.fold_email(new_email)
    if new_email == actor.email:
        raise RuleViolation(N_("This is already your e-mail address."))
    audit.record(
        session,
        actor_id=actor.id,
        object_type="user",
        object_id=actor.id,
        action="request_email_change",
    )
    if find_user_by_email(session, new_email) is not None:
        return None
    return account_services.issue_token(
        session, purpose="change_email", user_id=actor.id, payload=new_email
    )


def confirm_email_change(session: Session, *, secret: str) -> tuple[User, str]:
    """The link sent to the new address was opened: the address changes; returns the old."""
    token, user = _link_owner(session, purpose="change_email", secret=secret, use=True, active=True)
    if find_user_by_email(session, token.payload) is not None:
        raise DuplicateAccount(N_("This address cannot be used. Choose another."))
    old, user.email, user.email_verified_at = user.email, token.payload, utcnow()
    session.add(user)
    audit.record(
        session, actor_id=user.id, object_type="user", object_id=user.id, action="change_email"
    )
    session.flush()
    return user, old


# --- Administration ------------------------------------------------------------------------


def _admin_target(session: Session, actor: User, user_id: int) -> User:
    if not can_administer(actor):
        raise NotAllowed(N_("Only administrators can do this."))
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(N_("No such account."))
    return user


def _other_admins(session: Session, user: User) -> int:
    return len(
        session.exec(
            select(UserRole.user_id)
            .join(User, col(User.id) == UserRole.user_id)
            .where(
                UserRole.role == Role.ADMIN,
                col(User.is_active).is_(True),
                UserRole.user_id != user.id,
            )
        ).all()
    )


def set_active(session: Session, *, actor: User, user_id: int, active: bool) -> User:
    """Deactivate (every session ends at once) or reactivate an account."""
    user = _admin_target(session, actor, user_id)
    if not active and user.has_role(Role.ADMIN) and _other_admins(session, user) == 0:
        raise RuleViolation(N_("The last active administrator cannot be deactivated."))
    if user.is_active == active:
        return user
    user.is_active = active
    session.add(user)
    if not active:
        account_services.revoke_sessions(session, user_id=user.id)
    audit.record(
        session,
        actor_id=actor.id,
        object_type="user",
        object_id=user.id,
        action="activate" if active else "deactivate",
        from_state="inactive" if active else "active",
        to_state="active" if active else "inactive",
    )
    session.flush()
    return user


def set_roles(session: Session, *, actor: User, user_id: int, roles: list[str]) -> User:
    """Grant and remove roles; effective on the user's next request."""
    user = _admin_target(session, actor, user_id)
    wanted = {Role(r) for r in roles}
    if not wanted:
        raise RuleViolation(N_("Choose at least one role."))
    if Role.ADMIN not in wanted and user.has_role(Role.ADMIN) and _other_admins(session, user) == 0:
        raise RuleViolation(N_("The last active administrator keeps the administrator role."))
    before = set(user.roles)
    for row in list(user.role_rows):
        if row.role not in wanted:
            user.role_rows.remove(row)
    for role in sorted(wanted - before):
        user.role_rows.append(UserRole(user_id=user.id, role=role))
    session.add(user)
    if wanted != before:
        audit.record(
            session,
            actor_id=actor.id,
            object_type="user",
            object_id=user.id,
            action="set_roles",
            from_state=",".join(sorted(before))[:40],
            to_state=",".join(sorted(wanted))[:40],
        )
    session.flush()
    return user


# --- Preferences ---------------------------------------------------------------------------


def set_locale(session: Session, *, actor: User, locale: str) -> None:
    """Remember the user's language."""
    if locale in LOCALES:
        actor.locale = locale
        session.add(actor)
        session.flush()


def sign_out_everywhere(session: Session, *, actor: User) -> None:
    """End every session of this user, on every device."""
    account_services.revoke_sessions(session, user_id=actor.id)
    audit.record(
        session,
        actor_id=actor.id,
        object_type="user",
        object_id=actor.id,
        action="sign_out_everywhere",
    )
    session.flush()
