"""Bar charts drawn as SVG by the hub, for the report pages (no JavaScript, no plug-in).

Labels are escaped here; the template inserts the finished SVG as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from markupsafe import Markup

BAR_HEIGHT = 16
GAP = 8
LABEL_WIDTH = 220
CHART_WIDTH = 760
COLOURS = ("#0b5cad", "#1f7a3a", "#b35c00", "#6b3fa0")


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]  # one per label; None is drawn as nothing (no data)


def bar_chart(title: str, labels: Sequence[str], series: Sequence[Series], *, percent: bool = False) -> Markup:
    """Grouped horizontal bars: one group per label, one bar per series, with a legend."""
    top = 28
    group_height = len(series) * BAR_HEIGHT + GAP
    height = top + max(1, len(labels)) * group_height + 24
    scale_max = 1.0 if percent else max([v for s in series for v in s.values if v is not None] + [1])
    plot = CHART_WIDTH - LABEL_WIDTH - 70
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" width="{CHART_WIDTH}" height="{height}" '
        f'viewBox="0 0 {CHART_WIDTH} {height}" aria-label="{escape(title, {chr(34): "&quot;"})}">',
        f'<text x="0" y="16" font-size="14" font-weight="bold" fill="#1d2329">{escape(title)}</text>',
    ]
    x = LABEL_WIDTH
    for index, one in enumerate(series):  # the legend
        colour = COLOURS[index % len(COLOURS)]
        parts.append(
            f'<rect x="{x}" y="6" width="12" height="12" fill="{colour}"/>'
            f'<text x="{x + 16}" y="16" font-size="12" fill="#1d2329">{escape(one.name)}</text>'
        )
        x += 24 + 8 * max(4, len(one.name)) + 8 * sum(1 for c in one.name if ord(c) > 0x2E80)
    for row, label in enumerate(labels):
        y = top + row * group_height
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + len(series) * BAR_HEIGHT / 2 + 4}" font-size="12" '
            f'text-anchor="end" fill="#1d2329">{escape(label[:28])}</text>'
        )
        for index, one in enumerate(series):
            value = one.values[row]
            if value is None:
                continue
            width = max(1.0, plot * value / scale_max) if value else 0.0
            bar_y = y + index * BAR_HEIGHT
            shown = f"{value * 100:.1f}%" if percent else (f"{value:g}")
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{bar_y}" width="{width:.1f}" height="{BAR_HEIGHT - 3}" '
                f'fill="{COLOURS[index % len(COLOURS)]}"/>'
                f'<text x="{LABEL_WIDTH + width + 4:.1f}" y="{bar_y + BAR_HEIGHT - 5}" font-size="11" '
                f'fill="#1d2329">{shown}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))
