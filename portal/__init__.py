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
    configure_imports(app.config)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_cli(app)
    register_proxies(app)
    return app


def configure_imports(config: dict) -> None:
    """From how many ledger lines a budget import takes PostgreSQL's bulk-load recipe."""
    from funds.compliance import loading

    loading.settings["bulk_min_rows"] = int(config["IMPORT_BULK_ROWS"])


def register_proxies(app: Flask) -> None:
    """Behind PROXY_COUNT balancers (docs/deployment.md), take the client's address and
    scheme from the X-Forwarded-* headers they set — sessions, sign-in records and rate
    limits then see the person, not the balancer. Never trusted when no proxy is declared,
    since anyone can send the headers."""
    count = app.config["PROXY_COUNT"]
    if count:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=count, x_proto=count, x_host=count
        )


def configure_accounts(config: dict) -> None:
    """Session timeouts and sign-in throttling from the configuration (docs: README)."""
    from datetime import timedelta

    from funds.accounts import rules
    from funds.accounts.signin import services

    services.session_policy = rules.SessionPolicy(
        idle=timedelta(minutes=config["SESSION_IDLE_MINUTES"]),
        idle_privileged=timedelta(minutes=config["SESSION_IDLE_MINUTES_PRIVILEGED"]),
        absolute=timedelta(hours=config["SESSION_ABSOLUTE_HOURS"]),
        reauth_within=timedelta(minutes=config["REAUTH_MINUTES"]),
    )
    services.throttle_policy = rules.ThrottlePolicy(
        lock_after=config["SIGN_IN_LOCK_AFTER"],
        lock_for=timedelta(minutes=config["SIGN_IN_LOCK_MINUTES"]),
    )


def register_extensions(app: Flask) -> None:
    from portal import bounds, db, headers, i18n, ops
    from portal.extensions import babel, csrf, login_manager

    ops.init_app(app)  # first: request ids and timing for every later hook
    bounds.init_app(app)
    db.init_app(app)
    i18n.init_app(app)
    babel.init_app(
        app,
        locale_selector=i18n.select_locale,
        default_translation_directories=app.config["BABEL_TRANSLATION_DIRECTORIES"],
    )
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "strong"
    from portal import security  # noqa: F401 — registers the user loader

    headers.init_app(app)


def register_blueprints(app: Flask) -> None:
    """The portal's parts, all listed here: each feature's blueprint (portal/<feature>/
    views.py), then the features' `register(app)` hooks — navigation entries (in this order
    in the menu), labels, template helpers, CLI commands, request hooks."""
    from portal import (
        audit,
        budget,
        council_work,
        councils,
        hosts,
        jobs,
        lottery,
        mfa,
        notifications,
        outbox,
        overlap,
        overview,
        privacy,
        profile,
        projects,
        proposals,
        public,
        review_admin,
        reviews,
        stages,
    )
    from portal.account.views import bp as account_bp
    from portal.admin.views import bp as admin_bp
    from portal.api.views import bp as api_bp
    from portal.appraisal.views import bp as appraisal_bp
    from portal.auth.views import bp as auth_bp
    from portal.budget.views import bp as budget_bp
    from portal.calls.views import bp as calls_bp
    from portal.contracts.views import bp as contracts_bp
    from portal.council_minutes.views import bp as council_minutes_bp
    from portal.council_work.views import bp as council_work_bp
    from portal.councils.views import bp as councils_bp
    from portal.hosts.views import bp as hosts_bp
    from portal.jobs.views import bp as jobs_bp
    from portal.letters.views import bp as letters_bp
    from portal.lottery.views import bp as lottery_bp
    from portal.main import bp as main_bp
    from portal.mfa.views import bp as mfa_bp
    from portal.money.views import bp as money_bp
    from portal.notifications.views import bp as notifications_bp
    from portal.ops.views import bp as ops_bp
    from portal.outbox.views import bp as outbox_bp
    from portal.overlap.views import bp as overlap_bp
    from portal.overview.views import bp as overview_bp
    from portal.privacy.views import bp as privacy_bp
    from portal.profile.imports import bp as publication_import_bp
    from portal.profile.views import bp as profile_bp
    from portal.projects.views import bp as projects_bp
    from portal.proposals.views import bp as proposals_bp
    from portal.public.publishing import bp as publishing_bp
    from portal.public.views import bp as public_bp
    from portal.rebuttal.views import bp as rebuttal_bp
    from portal.review_admin.views import bp as review_admin_bp
    from portal.reviews.views import bp as reviews_bp
    from portal.stages.views import bp as stages_bp
    from portal.submission.views import bp as submission_bp

    for blueprint in (
        main_bp,
        account_bp,
        admin_bp,
        api_bp,
        appraisal_bp,
        auth_bp,
        budget_bp,
        calls_bp,
        contracts_bp,
        councils_bp,
        council_minutes_bp,
        council_work_bp,
        hosts_bp,
        jobs_bp,
        letters_bp,
        lottery_bp,
        mfa_bp,
        money_bp,
        notifications_bp,
        ops_bp,
        outbox_bp,
        overlap_bp,
        overview_bp,
        privacy_bp,
        profile_bp,
        publication_import_bp,
        projects_bp,
        proposals_bp,
        rebuttal_bp,
        public_bp,
        publishing_bp,
        review_admin_bp,
        reviews_bp,
        stages_bp,
        submission_bp,
    ):
        app.register_blueprint(blueprint)
    for feature in (
        audit,
        budget,
        councils,
        council_work,
        hosts,
        jobs,
        lottery,
        mfa,
        notifications,
        outbox,
        overlap,
        overview,
        privacy,
        profile,
        projects,
        proposals,
        public,
        review_admin,
        reviews,
        stages,
    ):
        feature.register(app)
    from portal.api import limits

    limits.init_app(app, api_bp)


def register_errorhandlers(app: Flask) -> None:
    from portal import errors

    errors.init_app(app)


def register_cli(app: Flask) -> None:
    from portal import cli

    cli.init_app(app)
