"""License usage drawn on the server as SVG (pygal): no script, nothing from a CDN."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pygal
from pygal.style import Style

from customers.selectors import LineHistory

# pygal always embeds its tooltip configuration as a script; with no pygal.js loaded
# it does nothing, so it is removed (the page stays script-free for the chart).
_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)

STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#212529",
    foreground_strong="#212529",
    foreground_subtle="#6c757d",
    font_family="system-ui, -apple-system, 'Segoe UI', sans-serif",
    colors=("#0d6efd", "#198754", "#d63384", "#fd7e14", "#6f42c1", "#20c997", "#dc3545"),
)


def usage_chart(histories: Sequence[LineHistory], *, title: str = "") -> str:
    """A line per subscription line: per cent of its quantity used, day by day.
    Returns inline SVG markup (empty when there is nothing to draw)."""
    if not histories:
        return ""
    chart = pygal.Line(
        style=STYLE, width=900, height=300, show_dots=False, fill=False,
        x_label_rotation=0, show_minor_x_labels=False, legend_at_bottom=True,
        legend_at_bottom_columns=3, range=(0, 110), include_x_axis=True,
        value_formatter=lambda value: f"{value:.0f} %", js=[],
        disable_xml_declaration=True, explicit_size=False, title=title or None,
        truncate_legend=40,
    )  # fmt: skip
    days = histories[0].days
    chart.x_labels = [day.isoformat() for day in days]
    chart.x_labels_major = [day.isoformat() for day in days[:: max(1, len(days) // 6)]]
    for history in histories:
        chart.add(
            history.label,
            [
                round(100 * used / quantity, 1) if quantity else (100.0 if used else 0.0)
                for used, quantity in zip(history.used, history.quantity, strict=True)
            ],
        )
    return _SCRIPT.sub("", chart.render(is_unicode=True))
