"""Import every table module so SQLModel.metadata is complete (for Alembic, the portal and tests).

Each feature package of the domain keeps its tables in its own `models.py`; every such module
under funds/ and reviews/ is imported, so a feature adds a table by adding it there. It lives in
reviews/, the top of the domain (reviews → funds), so migrations/env.py can use it without the
web layer.
"""

import pkgutil
from importlib import import_module

DOMAINS = ("funds", "reviews")


def model_modules() -> list[str]:
    found = []
    for domain in DOMAINS:
        package = import_module(domain)
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{domain}."):
            if info.name.rsplit(".", 1)[-1] == "models":
                found.append(info.name)
    return sorted(found)


def import_all_models() -> None:
    for name in model_modules():
        import_module(name)
