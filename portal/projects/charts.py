"""Server-side SVG: each indicator over the years as a small bar chart (no JavaScript)."""

from markupsafe import Markup, escape

WIDTH, HEIGHT, BAR = 260, 90, 36


def _label(value, unit: str) -> str:
    return f"{float(value):.0f} d" if unit == "days" else f"{float(value) * 100:.0f}%"


def _bars(values: list[tuple[int, object]], unit: str = "share") -> str:
    top = max([float(v) for _, v in values if v is not None] + [0.01])
    parts = []
    for n, (year, value) in enumerate(values):
        x = 10 + n * (BAR + 12)
        if value is None:
            parts.append(f'<text x="{x + 4}" y="{HEIGHT - 20}" font-size="9">n/a</text>')
        else:
            h = max(1, int((HEIGHT - 30) * float(value) / top))
            parts.append(f'<rect x="{x}" y="{HEIGHT - 18 - h}" width="{BAR}" height="{h}" '
                         f'fill="#0b5cab"><title>{year}: {_label(value, unit)}</title></rect>'
                         f'<text x="{x}" y="{HEIGHT - 20 - h}" font-size="9">'
                         f'{_label(value, unit)}</text>')
        parts.append(f'<text x="{x + 4}" y="{HEIGHT - 4}" font-size="9">{year}</text>')
    return "".join(parts)


def indicator_chart(history: dict) -> dict[str, Markup]:
    """{indicator id: SVG} from {year: [Indicator…]}."""
    years = sorted(history)
    ids = [i.id for i in history[years[-1]]] if years else []
    charts = {}
    units = {i.id: i.unit for i in history[years[-1]]} if years else {}
    for ident in ids:
        values = [(y, next(i.value for i in history[y] if i.id == ident)) for y in years]
        charts[ident] = Markup(
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
            f'role="img" aria-label="{escape(ident)}">{_bars(values, units[ident])}</svg>')
    return charts
