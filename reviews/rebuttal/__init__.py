"""The applicant's response (rebuttal) to the anonymised reviews, before the council meets."""
