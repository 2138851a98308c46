"""License usage drawn on the server as SVG (pygal): no script, nothing from a CDN."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from functools import cache

import pygal
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET
from pygal.style import Style

from customers.selectors import LineHistory

# pygal always embeds its tooltip configuration as a script; with no pygal.js loaded
# it does nothing, so it is removed (the page stays script-free for the chart).
_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)
# Its <style> element would break the Content-Security-Policy (style-src 'self'): the
# same rules are served as a stylesheet (``usage_chart_css``), scoped by class.
_STYLE = re.compile(r"<style\b.*?</style>", re.DOTALL)
_CHART_ID = re.compile(r"#chart-[0-9a-f-]{36}")
CHART_CLASS = "usage-chart"
MOST_SERIES_STYLED = 24  # series colours the stylesheet carries (pygal derives past 7)

STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#212529",
    foreground_strong="#212529",
    foreground_subtle="#6c757d",
    font_family="system-ui, -apple-system, 'Segoe UI', sans-serif",
    colors=("#0d6efd", "#198754", "#d63384", "#fd7e14", "#6f42c1", "#20c997", "#dc3545"),
)


def _line_chart(title: str = "") -> pygal.Line:
    return pygal.Line(
        style=STYLE, width=900, height=300, show_dots=False, fill=False,
        x_label_rotation=0, show_minor_x_labels=False, legend_at_bottom=True,
        legend_at_bottom_columns=3, range=(0, 110), include_x_axis=True,
        value_formatter=lambda value: f"{value:.0f} %", js=[],
        disable_xml_declaration=True, explicit_size=False, title=title or None,
        truncate_legend=40, classes=["pygal-chart", CHART_CLASS],
    )  # fmt: skip


def usage_chart(histories: Sequence[LineHistory], *, title: str = "") -> str:
    """A line per subscription line: per cent of its quantity used, day by day.
    Returns inline SVG markup without script or style (empty when there is nothing to
    draw); the page links ``usage_chart_css``."""
    if not histories:
        return ""
    chart = _line_chart(title)
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
    return _STYLE.sub("", _SCRIPT.sub("", chart.render(is_unicode=True)))


@cache
def chart_stylesheet() -> str:
    """pygal's rules for our style (every series colour), scoped to ``svg.usage-chart``
    instead of one chart's generated id."""
    chart = _line_chart()
    chart.x_labels = [dt.date(2026, 1, 1).isoformat()]
    for _ in range(MOST_SERIES_STYLED):
        chart.add("", [0])
    found = _STYLE.search(chart.render(is_unicode=True))
    css = re.sub(r"^<style[^>]*>|</style>$", "", found.group(0)) if found else ""
    return _CHART_ID.sub(f"svg.{CHART_CLASS}", css)


@require_GET
def usage_chart_css(request: HttpRequest) -> HttpResponse:
    """``/charts/usage-chart.css`` on both hosts: the chart's stylesheet."""
    response = HttpResponse(chart_stylesheet(), content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response
