"""Pages of the applicant's response: the principal investigator reads the anonymised reviews
and answers; the manager opens the period; the council reads the answers next to the reviews."""
