"""The lottery's posts carry no fields: the commit and the draw (CSRF only)."""

from flask_wtf import FlaskForm


class LotteryForm(FlaskForm):
    """Commit a seed, or draw."""
