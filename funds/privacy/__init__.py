"""Personal-data rights (Law 91/2025/QH15, Decree 356/2025): the notice's facts, export,
correction, consent history and erasure by pseudonymisation.

Other domain packages (reviews) add how their own tables are exported and erased through
`funds.privacy.registry`, so this package never imports them.
"""
