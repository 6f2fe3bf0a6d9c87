"""Import every table module so SQLModel.metadata is complete (for Alembic and tests).

Every module inside the packages funds.models and reviews.models is imported, so a
feature adds a table by adding a module there; nothing to register.
"""

import pkgutil
from importlib import import_module

MODEL_PACKAGES = ("funds.models", "reviews.models")
# Feature packages keep their tables in their own models.py.
MODEL_MODULES = ("funds.accounts.models", "funds.mfa.models")


def import_all_models() -> None:
    for package_name in MODEL_PACKAGES:
        package = import_module(package_name)
        for info in pkgutil.iter_modules(package.__path__):
            import_module(f"{package_name}.{info.name}")
    for module_name in MODEL_MODULES:
        import_module(module_name)
