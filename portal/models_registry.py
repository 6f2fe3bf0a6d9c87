"""Import every table module so SQLModel.metadata is complete (for Alembic and tests).

Features add their model modules to MODEL_MODULES.
"""

from importlib import import_module

MODEL_MODULES = [
    "funds.models",
    "reviews.models",
]


def import_all_models() -> None:
    for name in MODEL_MODULES:
        import_module(name)
