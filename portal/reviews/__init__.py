"""Reviewing: the reviewer's pages; the rubric's display texts are wired here."""


def register(app) -> None:
    from portal.reviews.labels import criterion_text

    app.jinja_env.globals["criterion_text"] = criterion_text
