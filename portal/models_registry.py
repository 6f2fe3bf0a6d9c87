"""Every table module, imported: the domain's registry (reviews.models_registry), kept here for
the web layer's callers."""

from reviews.models_registry import DOMAINS, import_all_models, model_modules

__all__ = ["DOMAINS", "import_all_models", "model_modules"]
