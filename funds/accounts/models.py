"""People and their roles. One person may hold several roles."""

from datetime import datetime
from enum import StrEnum
from typing import ClassVar

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, Relationship, SQLModel

from funds.types import instant_field


class Role(StrEnum):
    APPLICANT = "applicant"
    REVIEWER = "reviewer"
    MANAGER = "manager"
    ADMIN = "admin"
    HOST_OFFICER = "host_officer"  # acts for a host organisation (funds.hosts)


class User(SQLModel, table=True):
    id: int = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    name: str = Field(max_length=200)
    institution: str = Field(default="", max_length=300)
    orcid: str | None = Field(default=None, max_length=19)
    password_hash: str = Field(max_length=255)
    locale: str = Field(default="vi", max_length=5)
    is_active: bool = Field(default=True)
    consent_at: datetime | None = instant_field(nullable=True)
    consent_version: str | None = Field(default=None, max_length=20)
    email_verified_at: datetime | None = instant_field(nullable=True)
    password_changed_at: datetime | None = instant_field(nullable=True)
    created_at: datetime = instant_field(now=True)

    role_rows: list["UserRole"] = Relationship(
        sa_relationship_kwargs={"lazy": "select", "cascade": "all, delete-orphan"}
    )

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(r.role for r in self.role_rows)

    def has_role(self, *roles: str) -> bool:
        return any(r in self.roles for r in roles)

    # The sign-in protocol (Flask-Login's, but nothing web-specific is imported here).
    is_authenticated: ClassVar[bool] = True
    is_anonymous: ClassVar[bool] = False

    def get_id(self) -> str | None:
        """The secret of the browser session this user object was loaded for (see
        funds.accounts: the server keeps only its hash)."""
        return getattr(self, "_session_secret", None)


class UserRole(SQLModel, table=True):
    __tablename__ = "user_role"
    __table_args__ = (UniqueConstraint("user_id", "role"),)

    id: int = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    role: str = Field(max_length=20)


class AccountToken(SQLModel, table=True):
    """A single-use, expiring secret sent by e-mail; only its SHA-256 is stored."""

    __tablename__ = "account_token"

    id: int = Field(default=None, primary_key=True)
    purpose: str = Field(max_length=30, index=True)
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    payload: str = Field(default="", max_length=254)
    created_at: datetime = instant_field(now=True)
    expires_at: datetime = instant_field()
    used_at: datetime | None = instant_field(nullable=True)


class UserSession(SQLModel, table=True):
    """A signed-in browser. The cookie carries a random id; the server keeps only its hash,
    so signing out (here or everywhere) ends the session even for a copied cookie."""

    __tablename__ = "user_session"

    id: int = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = instant_field(now=True)
    last_seen_at: datetime = instant_field(now=True)
    authenticated_at: datetime = instant_field(now=True)
    second_factor: bool = Field(default=False)
    revoked_at: datetime | None = instant_field(nullable=True)
    client_ip: str = Field(default="", max_length=45)
    user_agent: str = Field(default="", max_length=200)


class SignInThrottle(SQLModel, table=True):
    """Failed sign-ins counted per account and per client address."""

    __tablename__ = "sign_in_throttle"

    key: str = Field(primary_key=True, max_length=300)
    failures: int = Field(default=0)
    first_failure_at: datetime | None = instant_field(nullable=True)
    last_failure_at: datetime | None = instant_field(nullable=True)
    locked_until: datetime | None = instant_field(nullable=True)
