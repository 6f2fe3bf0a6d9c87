"""Proposals: drafting, attachments, submission with receipts; the task queue is wired here."""


def register(app) -> None:
    from portal import tasks
    from portal.proposals.sections import budget_label, source_label

    tasks.init_app(app)
    app.jinja_env.globals["budget_label"] = budget_label
    app.jinja_env.globals["source_label"] = source_label
