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
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_cli(app)
    return app


def register_extensions(app: Flask) -> None:
    from portal import db, i18n
    from portal.extensions import babel, csrf, login_manager

    db.init_app(app)
    i18n.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale,
                   default_translation_directories=app.config["BABEL_TRANSLATION_DIRECTORIES"])
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "strong"
    import portal.security  # noqa: F401  (registers the user loader)


def register_blueprints(app: Flask) -> None:
    from portal.admin.views import bp as admin_bp
    from portal.auth.views import bp as auth_bp
    from portal.calls.views import bp as calls_bp
    from portal.main import bp as main_bp
    from portal.proposals.views import bp as proposals_bp
    from portal.reviews.views import bp as reviews_bp

    for bp in (main_bp, auth_bp, calls_bp, proposals_bp, reviews_bp, admin_bp):
        app.register_blueprint(bp)


def register_errorhandlers(app: Flask) -> None:
    from portal import errors

    errors.init_app(app)


def register_cli(app: Flask) -> None:
    from portal import cli

    cli.init_app(app)
