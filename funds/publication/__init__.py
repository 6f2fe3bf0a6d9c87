"""Publication: what the public sees of a fund — calls, funded projects, results, indicators.

Importing the package (the models registry does) registers its privacy part and gives every
new project its public identifier (funds.projects.services.award_created)."""

from funds.publication import privacy, services  # noqa: F401 — registers on import
