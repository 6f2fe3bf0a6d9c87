"""Contracts (hợp đồng): the fund's templates as data, the per-fund number sequence, a
contract's terms (products with their quality indicators, the tranches of its milestones),
its generated documents (PDF and DOCX, each version with its SHA-256) and the signatures of
the fund, the host and the PI on one version."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, Index, LargeBinary, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from funds.states import one_of
from funds.types import instant_field, money_field


class ContractStatus(StrEnum):
    DRAFT = "draft"
    AWAITING_SIGNATURES = "awaiting_signatures"  # sent for signature
    IN_FORCE = "in_force"  # signed by the three parties
    CANCELLED = "cancelled"


class Party(StrEnum):
    FUND = "fund"  # a manager of the fund
    HOST = "host"  # an officer of the host organisation
    PI = "pi"  # the principal investigator


class ContractTemplate(SQLModel, table=True):
    """One version of a fund's contract text, with ${placeholders} (funds.contracts.rules);
    a fund without one uses the built-in text (funds/data/contract_template_vi.txt)."""

    __tablename__ = "contract_template"
    __table_args__ = (
        UniqueConstraint("fund_id", "version"),
        CheckConstraint("version >= 1", name="ck_contract_template_version"),
    )

    id: int = Field(default=None, primary_key=True)
    fund_id: int = Field(foreign_key="fund.id", index=True)
    version: int
    body: str = Field(sa_type=Text)
    note: str = Field(default="", max_length=2000)
    created_by: int = Field(foreign_key="user.id")
    created_at: datetime = instant_field(now=True)


class ContractSequence(SQLModel, table=True):
    """The last contract number given by a fund in a year (HD-<fund>-<year>-<n>)."""

    __tablename__ = "contract_sequence"
    __table_args__ = (CheckConstraint("last_number >= 0", name="ck_contract_sequence_last"),)

    fund_id: int = Field(foreign_key="fund.id", primary_key=True)
    year: int = Field(primary_key=True)
    last_number: int = Field(default=0)


# A proposal has at most one contract that is not cancelled (the database backs it).
LIVE = "status <> 'cancelled'"


class Contract(SQLModel, table=True):
    __table_args__ = (
        CheckConstraint(one_of(ContractStatus), name="ck_contract_status"),
        CheckConstraint("end_date > start_date", name="ck_contract_dates"),
        CheckConstraint("funding_mode IN ('itemised', 'lump_sum')", name="ck_contract_mode"),
        CheckConstraint(
            "(status = 'in_force') = (award_id IS NOT NULL AND signed_on IS NOT NULL)",
            name="ck_contract_in_force",
        ),
        Index(
            "uq_contract_live_proposal",
            "proposal_id",
            unique=True,
            sqlite_where=text(LIVE),
            postgresql_where=text(LIVE),
        ),
    )

    id: int = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True)
    fund_id: int = Field(foreign_key="fund.id", index=True)
    appraisal_id: int = Field(foreign_key="appraisal.id")
    number: str = Field(max_length=60, unique=True)
    status: str = Field(default=ContractStatus.DRAFT, max_length=20)
    start_date: date
    end_date: date
    funding_mode: str = Field(default="itemised", max_length=12)
    terms_revision: int = Field(default=1)  # a document is current when made on these terms
    allocation_override: str = Field(default="", max_length=2000)  # the fund signer's reason
    signed_on: date | None = Field(default=None)  # the contract date: the last signature's day
    award_id: int | None = Field(default=None, foreign_key="award.id", unique=True)
    cancel_reason: str = Field(default="", max_length=2000)
    created_by: int = Field(foreign_key="user.id")
    created_at: datetime = instant_field(now=True)


class ContractProduct(SQLModel, table=True):
    """A product with its quality indicator as the contract commits it (one row each)."""

    __tablename__ = "contract_product"

    id: int = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="contract.id", index=True)
    position: int = Field(default=0)
    product: str = Field(max_length=500)
    indicator: str = Field(max_length=1000)
    target: str = Field(default="", max_length=100)
    unit: str = Field(default="", max_length=40)


class ContractTranche(SQLModel, table=True):
    """The tranche paid on the acceptance of one approved work package (its milestone)."""

    __tablename__ = "contract_tranche"
    __table_args__ = (
        UniqueConstraint("contract_id", "work_line_id"),
        CheckConstraint("amount_vnd >= 0", name="ck_contract_tranche_amount"),
    )

    id: int = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="contract.id", index=True)
    work_line_id: int = Field(foreign_key="appraisal_work_line.id")
    amount_vnd: int = money_field()


class ContractDocument(SQLModel, table=True):
    """One generated version of the contract: the PDF (what is signed, by its SHA-256) and
    the DOCX made from the same record."""

    __tablename__ = "contract_document"
    __table_args__ = (UniqueConstraint("contract_id", "version"),)

    id: int = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="contract.id", index=True)
    version: int
    terms_revision: int
    template_id: int | None = Field(default=None, foreign_key="contract_template.id")
    pdf: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    sha256: str = Field(max_length=64)
    docx: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    docx_sha256: str = Field(max_length=64)
    generated_by: int = Field(foreign_key="user.id")
    generated_at: datetime = instant_field(now=True)


class ContractSignature(SQLModel, table=True):
    """A party's signature of one version: who, when, and the SHA-256 of the PDF they saw."""

    __tablename__ = "contract_signature"
    __table_args__ = (
        UniqueConstraint("document_id", "party"),
        CheckConstraint(one_of(Party, "party"), name="ck_contract_signature_party"),
    )

    id: int = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="contract.id", index=True)
    document_id: int = Field(foreign_key="contract_document.id", index=True)
    party: str = Field(max_length=8)
    user_id: int = Field(foreign_key="user.id", index=True)
    sha256: str = Field(max_length=64)
    signed_at: datetime = instant_field(now=True)
