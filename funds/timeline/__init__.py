"""A proposal's timeline for its applicant: the steps from draft to closed project, each with
its date, the current step, and what happens next with its deadline (issue #16, item 4).

A feature of its own (not under funds.proposals) because it reads proposals, endorsements,
contracts and projects together; nothing imports it but the portal."""
