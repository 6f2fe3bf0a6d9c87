"""Votes on a council item: open votes (who voted what) or secret ballots, where the portal
keeps who voted and the count, and nothing that links a member to a choice."""
