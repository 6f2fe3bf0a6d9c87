"""Every table of the funds domain, imported so SQLModel.metadata knows them."""

from funds.models.accounts import Role, User, UserRole
from funds.models.audit import AuditEntry
from funds.models.calls import Call, CallArea, Fund
from funds.models.fund_managers import FundManager
from funds.models.proposals import Decision, DecisionOutcome, Proposal, ProposalStatus
from funds.models.taxonomy import StrategicTechnology

__all__ = [
    "AuditEntry", "Call", "CallArea", "Decision", "DecisionOutcome", "Fund", "FundManager",
    "Proposal", "ProposalStatus", "Role", "StrategicTechnology", "User", "UserRole",
]
