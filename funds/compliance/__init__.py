"""Budget compliance: Resolution 57-NQ/TW's floors as data, evaluated per fiscal year.

rules.py (pure evaluation), figures.py (reading the totals), importing.py (CSV/XLSX import),
slate.py (a slate's effect before a funding decision), services.py (use cases), report.py.
"""
