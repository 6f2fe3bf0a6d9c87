"""Closeout regimes as dated data: which legal regime closes a project, and what follows.

`models.py` holds the regimes (one row per regime, with its instrument, article and effective
range) and the lump-sum quality indicators; `rules.py` the pure consequences; `services.py`
the reads and the writes that other project services call.
"""
