"""Small server-side SVG bar charts (no scripts, nothing for the CSP to allow)."""

from markupsafe import Markup, escape

from etl.site.german import zahl

COLORS = ["#1f3a5f", "#f2b705", "#3a8f5c", "#b5483a", "#7a5ea8", "#888888"]


def compact(value: float) -> str:
    """1500000 -> '1,5 Mio.', 25000 -> '25 Tsd.' (labels above narrow bars)."""
    if value >= 1e6:
        return f"{zahl(value / 1e6, 1)} Mio."
    if value >= 1e4:
        return f"{zahl(value / 1e3)} Tsd."
    return zahl(value)


def stacked_bars(title: str, columns: list[str], series: dict[str, list[float]],
                 unit: str = "", height: int = 180) -> Markup:
    """Vertical bars per column (e.g. year), stacked by series (e.g. submitter kind)."""
    if not columns or not series:
        return Markup("")
    totals = [sum(values[i] or 0 for values in series.values()) for i in range(len(columns))]
    top = max(totals) or 1.0
    bar, gap, left, base = 40, 10, 8, height - 22
    width = left + len(columns) * (bar + gap)
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height + 4}" '
             f'width="{width}" height="{height + 4}" xmlns="http://www.w3.org/2000/svg">'
             f"<title>{escape(title)}</title>"]
    for i, column in enumerate(columns):
        x, y = left + i * (bar + gap), float(base)
        for color, (name, values) in zip(COLORS, series.items(), strict=False):
            value = values[i] or 0
            h = (base - 16) * value / top
            if h > 0:
                y -= h
                parts.append(f'<rect x="{x}" y="{y:.1f}" width="{bar}" height="{h:.1f}" '
                             f'fill="{color}"><title>{escape(name)} {escape(column)}: '
                             f"{escape(zahl(value))}{escape(unit)}</title></rect>")
        parts.append(f'<text x="{x + bar / 2}" y="{height - 6}" font-size="10" '
                     f'text-anchor="middle">{escape(column)}</text>')
        if totals[i]:
            parts.append(f'<text x="{x + bar / 2}" y="{y - 3:.1f}" font-size="9" '
                         f'text-anchor="middle">{escape(compact(totals[i]))}</text>')
    parts.append("</svg>")
    legend = "".join(f'<span class="key"><span class="swatch swatch-{n}"></span>{escape(name)}'
                     f"</span>" for n, name in enumerate(series) if len(series) > 1)
    return Markup(f'<figure class="chart"><figcaption>{escape(title)}</figcaption>'
                  f'<div class="chart-scroll">{"".join(parts)}</div>'
                  f'<p class="legend">{legend}</p></figure>')
