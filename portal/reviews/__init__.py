"""Reviewing: the reviewer's pages; the rubric's display texts and totals are wired here."""


def register(app) -> None:
    from portal.reviews.labels import criterion_text
    from reviews.rubric.rules import share_of_basis_points

    app.jinja_env.globals["criterion_text"] = criterion_text
    # a total in basis points as a share, for the percent filter: total_bp|basis_points|percent
    app.jinja_env.filters["basis_points"] = share_of_basis_points
