"""The law as dated data: legal instruments, their effective ranges and the settings that
stand in for open legal questions. Every rule, threshold, strategic-technology list version
and closeout regime names the instrument it comes from (see docs/compliance.md)."""
