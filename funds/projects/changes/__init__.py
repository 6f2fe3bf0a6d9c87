"""Change requests with effect: extension, budget move, change of PI or host, scope,
suspension and termination, each amending the contract as a numbered annex."""
