"""Server-side SVG charts, one module for every page and PDF (no JavaScript): shares over the
years against a floor, amounts stacked by area, and each indicator's small bar chart.

Each chart scales to its container (a viewBox, width 100%, no fixed width), carries a visible
title and a text alternative: <title>/<desc> naming a data table beside it (WCAG 2.1 1.1.1)."""

from flask_babel import gettext as _
from markupsafe import Markup, escape

from portal.i18n import format_percent

W, H, LEFT, RIGHT, TOP, BOTTOM = 680, 260, 92, 200, 16, 32
PALETTE = (
    "#0b5cab",
    "#d9822b",
    "#1e7b34",
    "#8e44ad",
    "#b3261e",
    "#16a085",
    "#7f8c8d",
    "#c0392b",
    "#2c3e50",
    "#f1c40f",
    "#6d4c41",
    "#00838f",
    "#9e9d24",
)
FLOOR = "#b3261e"
SMALL_W, SMALL_H, SMALL_BAR = 260, 90, 36
BILLION = 10**9


def compact_money(amount: int | float, locale: str = "vi") -> str:
    """An axis amount in billions of đồng, short enough never to be clipped: 16.700 tỷ,
    0,5 tỷ; in English 16,700 bn (a tick label, not a ledger figure: those stay exact)."""
    billions = round(float(amount) / BILLION, 1)
    whole = billions == int(billions) or abs(billions) >= 100
    text = f"{billions:,.0f}" if whole else f"{billions:,.1f}"
    if locale.startswith("vi"):
        text = text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")
        return f"{text} tỷ"
    return f"{text} bn"


def _svg(
    width: int,
    height: int,
    label: str,
    body: list[str],
    css: str = "chart",
    described_by: str = "",
) -> Markup:
    """Wrap the parts in an <svg> that scales to its container, named for screen readers and
    pointing to the table that holds its data."""
    desc = f' aria-describedby="{escape(described_by)}"' if described_by else ""
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" role="img" aria-label="{escape(label)}"{desc} '
        f'class="{css}">' + "".join(body) + "</svg>"
    )


def _figure(ident: str, title: str, svg: Markup, table: Markup) -> Markup:
    """The chart with its visible title and, folded below it, its data as a table."""
    return Markup(
        f'<figure class="chart-figure" id="{escape(ident)}">'
        f"<figcaption>{escape(title)}</figcaption>{svg}"
        f"<details><summary>{escape(_('Data of this chart'))}</summary>{table}</details>"
        "</figure>"
    )


def _data_table(
    ident: str, title: str, years: list[int], series: dict[str, dict], fmt, extra=None
) -> Markup:
    """A chart's figures, one row per year and one column per series (— where none)."""
    columns = list(series) + ([extra[0]] if extra else [])
    head = "".join(f'<th scope="col">{escape(c)}</th>' for c in columns)
    rows = []
    for year in years:
        cells = [series[c].get(year) for c in series]
        if extra:
            cells.append(extra[1].get(year))
        body = "".join(
            f'<td class="num">{"—" if v is None else escape(fmt(v))}</td>' for v in cells
        )
        rows.append(f'<tr><th scope="row">{year}</th>{body}</tr>')
    return Markup(
        f'<div class="table-frame"><table class="chart-data" id="{escape(ident)}-data">'
        f'<caption>{escape(title)}</caption><thead><tr><th scope="col">'
        f"{escape(_('Year'))}</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def _x(i: int, n: int) -> float:
    inner = W - LEFT - RIGHT
    return LEFT + (inner * (i + 0.5) / max(n, 1))


def _y(value: float, top: float) -> float:
    inner = H - TOP - BOTTOM
    return TOP + inner * (1 - (value / top if top else 0))


def _frame(title: str, years: list[int], top: float, fmt) -> list[str]:
    parts = [
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(_('The figures are in the table below the chart.'))}</desc>",
        (f'<line x1="{LEFT}" y1="{H - BOTTOM}" x2="{W - RIGHT}" y2="{H - BOTTOM}" stroke="#999"/>'),
    ]
    for frac in (0, 0.5, 1):
        y = _y(top * frac, top)
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" font-size="11" '
            f'text-anchor="end">{escape(fmt(top * frac))}</text>'
        )
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{W - RIGHT}" y2="{y:.1f}" stroke="#eee"/>'
        )
    for i, year in enumerate(years):
        parts.append(
            f'<text x="{_x(i, len(years)):.1f}" y="{H - BOTTOM + 16}" font-size="10" '
            f'text-anchor="middle">{year}</text>'
        )
    return parts


def _legend(parts: list[str], i: int, label: str, colour: str, dashed=False) -> None:
    y = TOP + 14 * i + 6
    dash = ' stroke-dasharray="5,3"' if dashed else ""
    parts.append(
        f'<line x1="{W - RIGHT + 10}" y1="{y}" x2="{W - RIGHT + 26}" y2="{y}" '
        f'stroke="{colour}" stroke-width="3"{dash}/>'
    )
    parts.append(f'<text x="{W - RIGHT + 30}" y="{y + 4}" font-size="10">{escape(label)}</text>')


def share_chart(
    title: str,
    years: list[int],
    series: dict[str, dict[int, float]],
    floor: float | dict[int, float] | None,
    floor_label: str,
    ident: str = "chart",
) -> Markup:
    """Lines of a share over the years with the floor as a dashed red line; a floor given
    per year (the law changed) is drawn only over the years it is in force."""
    floors = floor if isinstance(floor, dict) else {y: floor for y in years if floor is not None}
    table = _data_table(ident, title, years, series, format_percent, (floor_label, floors))
    if isinstance(floor, dict):
        svg = _dated_floor_chart(title, years, series, floor, floor_label, ident)
        return _figure(ident, title, svg, table)
    values = [v for s in series.values() for v in s.values()] + [floor or 0]
    top = max([*values, 0.01]) * 1.15
    parts = _frame(title, years, top, format_percent)
    for k, (label, points) in enumerate(series.items()):
        colour = PALETTE[k % len(PALETTE)]
        xy = [
            (_x(i, len(years)), _y(points[y], top))
            for i, y in enumerate(years)
            if points.get(y) is not None
        ]
        if xy:
            parts.append(
                '<polyline fill="none" stroke-width="2" stroke="{}" points="{}"/>'.format(
                    colour, " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
                )
            )
            parts += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>' for x, y in xy]
        _legend(parts, k, label, colour)
    if floor is not None:
        y = _y(floor, top)
        parts.append(
            f'<line class="floor" x1="{LEFT}" y1="{y:.1f}" x2="{W - RIGHT}" '
            f'y2="{y:.1f}" stroke="{FLOOR}" stroke-width="2" stroke-dasharray="5,3"/>'
        )
        _legend(parts, len(series), f"{floor_label} {format_percent(floor)}", FLOOR, dashed=True)
    return _figure(ident, title, _svg(W, H, title, parts, described_by=f"{ident}-data"), table)


def _dated_floor_chart(
    title: str,
    years: list[int],
    series: dict[str, dict[int, float]],
    floors: dict[int, float],
    floor_label: str,
    ident: str,
) -> Markup:
    values = [v for s in series.values() for v in s.values()] + list(floors.values()) + [0.01]
    top = max(values) * 1.15
    parts = _frame(title, years, top, format_percent)
    for k, (label, points) in enumerate(series.items()):
        colour = PALETTE[k % len(PALETTE)]
        xy = [
            (_x(i, len(years)), _y(points[y], top))
            for i, y in enumerate(years)
            if points.get(y) is not None
        ]
        if xy:
            parts.append(
                '<polyline fill="none" stroke-width="2" stroke="{}" points="{}"/>'.format(
                    colour, " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
                )
            )
            parts += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>' for x, y in xy]
        _legend(parts, k, label, colour)
    for i, y in enumerate(years):
        if floors.get(y) is None:
            continue
        x, level = _x(i, len(years)), _y(floors[y], top)
        parts.append(
            f'<line class="floor" x1="{x - 12:.1f}" y1="{level:.1f}" x2="{x + 12:.1f}" '
            f'y2="{level:.1f}" stroke="{FLOOR}" stroke-width="3" stroke-dasharray="4,2"/>'
        )
    shown = sorted({v for v in floors.values() if v is not None})
    _legend(
        parts,
        len(series),
        f"{floor_label} " + " / ".join(format_percent(v) for v in shown),
        FLOOR,
        dashed=True,
    )
    return _svg(W, H, title, parts, described_by=f"{ident}-data")


def stacked_chart(
    title: str,
    years: list[int],
    series: dict[str, dict[int, int]],
    labels: dict[str, str],
    fmt,
    ident: str = "chart",
    axis=None,
) -> Markup:
    """Bars per year stacked by area (amounts in đồng): `fmt` for the exact figures (the data
    table, each bar's title), `axis` for the tick labels (compact_money: billions)."""
    axis = axis or fmt
    totals = [sum(s.get(y, 0) for s in series.values()) for y in years]
    top = max([*totals, 1]) * 1.1
    parts = _frame(title, years, top, axis)
    bar = (W - LEFT - RIGHT) / max(len(years), 1) * 0.6
    for i, year in enumerate(years):
        base = 0
        for k, key in enumerate(sorted(series)):
            amount = series[key].get(year, 0)
            if amount:
                y1, y0 = _y(base + amount, top), _y(base, top)
                parts.append(
                    f'<rect x="{_x(i, len(years)) - bar / 2:.1f}" y="{y1:.1f}" '
                    f'width="{bar:.1f}" height="{y0 - y1:.1f}" '
                    f'fill="{PALETTE[k % len(PALETTE)]}"><title>{year} '
                    f"{escape(labels.get(key, key))}: {escape(fmt(amount))}</title>"
                    "</rect>"
                )
                base += amount
    for k, key in enumerate(sorted(series)):
        _legend(parts, k, labels.get(key, key), PALETTE[k % len(PALETTE)])
    named = {labels.get(key, key): series[key] for key in sorted(series)}
    table = _data_table(ident, title, years, named, fmt)
    return _figure(ident, title, _svg(W, H, title, parts, described_by=f"{ident}-data"), table)


def _indicator_label(value, unit: str) -> str:
    if unit == "days":
        return _("%(n)s days", n=f"{float(value):.0f}")
    if unit in ("count", "vnd"):
        return f"{int(value):,}"
    return format_percent(value, 0)


def _no_data(indicator) -> bool:
    """No figure to draw: not evaluable, or a ratio over an empty denominator (a year with no
    closeouts has no failure rate: neither 0% nor 100%)."""
    return indicator is None or indicator.value is None or indicator.denominator == 0


def _small_bars(values: list[tuple[int, object]], unit: str) -> list[str]:
    """One bar per year; "no data" written where the year has none (never a 0 bar)."""
    top = max([*(float(i.value) for _, i in values if not _no_data(i)), 0.01])
    parts = []
    for n, (year, indicator) in enumerate(values):
        x = 10 + n * (SMALL_BAR + 12)
        if _no_data(indicator):
            parts.append(
                f'<text class="no-data" x="{x + 2}" y="{SMALL_H - 20}" font-size="9">'
                f"{escape(_('no data'))}</text>"
            )
        else:
            h = max(1, int((SMALL_H - 30) * float(indicator.value) / top))
            label = escape(_indicator_label(indicator.value, unit))
            parts.append(
                f'<rect x="{x}" y="{SMALL_H - 18 - h}" width="{SMALL_BAR}" '
                f'height="{h}" fill="{PALETTE[0]}"><title>{year}: {label}</title>'
                f'</rect><text x="{x}" y="{SMALL_H - 20 - h}" font-size="9">'
                f"{label}</text>"
            )
        parts.append(f'<text x="{x + 4}" y="{SMALL_H - 4}" font-size="9">{year}</text>')
    return parts


def indicator_chart(history: dict) -> dict[str, Markup]:
    """{indicator id: small bar chart over the years} from {year: [Indicator…]}; its text
    alternative names each year's figure ("no data" where the denominator is empty)."""
    years = sorted(history)
    latest = history[years[-1]] if years else []
    charts = {}
    for indicator in latest:
        values = [(y, next((i for i in history[y] if i.id == indicator.id), None)) for y in years]
        alt = "; ".join(
            f"{y}: " + (_("no data") if _no_data(i) else _indicator_label(i.value, i.unit))
            for y, i in values
        )
        body = [f"<title>{escape(alt)}</title>", *_small_bars(values, indicator.unit)]
        charts[indicator.id] = _svg(SMALL_W, SMALL_H, alt, body, css="chart small-chart")
    return charts
