"""The Money section of a project: payments, settlement, refunds and liquidation."""
