"""The whole proposal as submitted, for those who assess it: reviewers and council members."""
