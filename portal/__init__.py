"""The rdfund portal: the Flask application factory."""

import os
from pathlib import Path

from flask import Flask

from portal import config as cfg

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    """Build the app: defaults → environment → the given mapping; then register_* steps."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("RDFUND_INSTANCE_PATH", str(ROOT / "instance")),
        template_folder=str(ROOT / "templates"),
        static_folder="static",
    )
    app.config.update(cfg.defaults(app.instance_path))
    app.config.update(cfg.from_environment())
    app.config.update(config or {})
    cfg.finish(app.config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if app.config["TESTING"] and app.config.get("PASSWORD_HASH_FAST"):
        from funds.accounts import passwords  # tests only: argon2id at its cheapest

        passwords.settings.update(time_cost=1, memory_cost=1024)
    configure_accounts(app.config)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_cli(app)
    return app


def configure_accounts(config: dict) -> None:
    """Session timeouts and sign-in throttling from the configuration (docs: README)."""
    from datetime import timedelta

    from funds.accounts import rules
    from funds.accounts.signin import services

    services.session_policy = rules.SessionPolicy(
        idle=timedelta(minutes=config["SESSION_IDLE_MINUTES"]),
        idle_privileged=timedelta(minutes=config["SESSION_IDLE_MINUTES_PRIVILEGED"]),
        absolute=timedelta(hours=config["SESSION_ABSOLUTE_HOURS"]),
        reauth_within=timedelta(minutes=config["REAUTH_MINUTES"]))
    services.throttle_policy = rules.ThrottlePolicy(
        lock_after=config["SIGN_IN_LOCK_AFTER"],
        lock_for=timedelta(minutes=config["SIGN_IN_LOCK_MINUTES"]))


def register_extensions(app: Flask) -> None:
    from portal import bounds, db, headers, i18n
    from portal.extensions import babel, csrf, login_manager

    bounds.init_app(app)
    db.init_app(app)
    i18n.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale,
                   default_translation_directories=app.config["BABEL_TRANSLATION_DIRECTORIES"])
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "strong"
    from portal import security  # noqa: F401 — registers the user loader

    headers.init_app(app)


def register_blueprints(app: Flask) -> None:
    """Every portal/<feature>/views.py with a `bp`; a feature's package may also define
    `register(app)` (navigation entries, labels, CLI commands)."""
    import pkgutil
    from importlib import import_module

    from portal.main import bp as main_bp

    app.register_blueprint(main_bp)
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if not info.ispkg:
            continue
        feature = import_module(f"portal.{info.name}")
        try:
            views = import_module(f"portal.{info.name}.views")
        except ModuleNotFoundError as exc:
            if exc.name != f"portal.{info.name}.views":
                raise
            views = None
        if views is not None and hasattr(views, "bp"):
            app.register_blueprint(views.bp)
        if hasattr(feature, "register"):
            feature.register(app)


def register_errorhandlers(app: Flask) -> None:
    from portal import errors

    errors.init_app(app)


def register_cli(app: Flask) -> None:
    from portal import cli

    cli.init_app(app)
