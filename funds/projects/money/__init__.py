"""An award's money as a ledger of movements: advance, tranches, final payment, settlement,
refunds and liquidation (docs/contracts.md, Money)."""
