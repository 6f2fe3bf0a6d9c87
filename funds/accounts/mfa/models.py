"""Tables of the second-factor feature: one authenticator per account, its recovery codes."""

from datetime import datetime

from sqlalchemy import BigInteger
from sqlmodel import Field, SQLModel

from funds.types import instant_field


class TotpCredential(SQLModel, table=True):
    """An account's authenticator app. Secrets are stored encrypted (see rules.seal).

    `pending_secret` holds a new secret until a code proves the app has it, so replacing a
    phone never leaves the account without a working second factor."""

    __tablename__ = "totp_credential"

    id: int = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", unique=True)
    secret: str | None = Field(default=None, max_length=200)
    pending_secret: str | None = Field(default=None, max_length=200)
    created_at: datetime = instant_field(now=True)
    confirmed_at: datetime | None = instant_field(nullable=True)
    # RFC 6238 §5.2: a code is accepted once; later codes must come from a later time step.
    last_used_step: int | None = Field(default=None, sa_type=BigInteger)
    failures: int = Field(default=0)
    first_failure_at: datetime | None = instant_field(nullable=True)
    last_failure_at: datetime | None = instant_field(nullable=True)
    locked_until: datetime | None = instant_field(nullable=True)


class RecoveryCode(SQLModel, table=True):
    """A single-use code for when the authenticator is lost; only its argon2id hash is kept."""

    __tablename__ = "recovery_code"

    id: int = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    code_hash: str = Field(max_length=255)
    created_at: datetime = instant_field(now=True)
    used_at: datetime | None = instant_field(nullable=True)
