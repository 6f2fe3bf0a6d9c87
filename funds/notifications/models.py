"""A notification per person (inbox entry and e-mail state) and e-mail preferences."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from funds.states import one_of
from funds.types import instant_field


class EmailState(StrEnum):
    PENDING = "pending"  # queued after the commit, not delivered yet
    SENT = "sent"
    FAILED = "failed"  # the last attempt failed (email_error); the queue retries
    SKIPPED = "skipped"  # the person chose not to receive this kind by e-mail
    BOUNCED = "bounced"  # sent, then returned by the recipient's server: never retried


class Notification(SQLModel, table=True):
    __tablename__ = "notification"
    __table_args__ = (
        CheckConstraint(one_of(EmailState, "email_state"), name="ck_notification_email_state"),
    )

    id: int = Field(default=None, primary_key=True)
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    email: str = Field(max_length=254)  # an invited co-investigator may have no account yet
    locale: str = Field(default="vi", max_length=5)
    kind: str = Field(max_length=40)
    object_type: str = Field(max_length=40)  # what the link opens
    object_id: int
    params: str = Field(default="{}", sa_type=Text)  # JSON: the message's parameters
    created_at: datetime = instant_field(now=True)
    read_at: datetime | None = instant_field(nullable=True)
    email_state: str = Field(default=EmailState.PENDING, max_length=10, index=True)
    email_attempts: int = Field(default=0)
    email_error: str = Field(default="", max_length=1000)
    emailed_at: datetime | None = instant_field(nullable=True)


class NotificationPreference(SQLModel, table=True):
    """A person's choice for one optional kind; no row means the e-mail is sent."""

    __tablename__ = "notification_preference"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: int = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    kind: str = Field(max_length=40)
    email: bool = Field(default=True)
