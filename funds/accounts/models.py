"""Tables of the accounts feature: tokens, sessions and sign-in throttles."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from funds.types import instant_field


class AccountToken(SQLModel, table=True):
    """A single-use, expiring secret sent by e-mail; only its SHA-256 is stored."""

    __tablename__ = "account_token"

    id: int | None = Field(default=None, primary_key=True)
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

    id: int | None = Field(default=None, primary_key=True)
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
