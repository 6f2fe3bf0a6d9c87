"""Personal-data rights: the history of consent, and erasures (Law 91/2025/QH15)."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from funds.types import instant_field


class Erasure(SQLModel, table=True):
    """A person's data was pseudonymised, at their request or by an administrator for them."""

    __tablename__ = "personal_data_erasure"

    id: int = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", unique=True)
    actor_id: int = Field(foreign_key="user.id")
    channel: str = Field(max_length=20)  # self | post | email | in_person
    at: datetime = instant_field(now=True)
