"""Template tags of the portal's shared pieces (header, tabs)."""

from __future__ import annotations

import re

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_link(context: template.Context, url_name: str, label: str, exact: bool = False) -> str:
    """A header link or tab, marked active (and ``aria-current``) on its own page and,
    unless ``exact``, on the pages below it."""
    try:
        url = reverse(url_name)
    except NoReverseMatch:
        return ""
    path = context["request"].path
    active = path == url if exact else path.startswith(url)
    if active:
        return format_html(
            '<a class="nav-link active" aria-current="page" href="{}">{}</a>', url, label
        )
    return format_html('<a class="nav-link" href="{}">{}</a>', url, label)


@register.simple_tag(takes_context=True)
def sort_th(
    context: template.Context, column: str, label: str, default: str = "", first_desc: bool = False
) -> str:
    """A sortable column header: a link that keeps the page's filters (in the URL),
    goes back to page 1, flips the direction, and says the current one (``aria-sort``)."""
    request = context["request"]
    current = request.GET.get("sort", default)
    if current == column:
        target, state, arrow = f"-{column}", "ascending", " ▲"
    elif current == f"-{column}":
        target, state, arrow = column, "descending", " ▼"
    else:
        target, state, arrow = (f"-{column}" if first_desc else column), "none", ""
    query = request.GET.copy()
    query["sort"] = target
    query.pop("page", None)
    return format_html(
        '<th scope="col" aria-sort="{}" data-sort="{}"><a href="?{}">{}{}</a></th>',
        state,
        column,
        query.urlencode(),
        label,
        arrow,
    )


_TASK_MENTION = re.compile(r"\b([Tt]ask) #(\d+)")


@register.filter
def link_tasks(text: object) -> str:
    """“task #8” in a message becomes a link to that task's page (on an org host)."""
    escaped = conditional_escape(text)

    def link(match: re.Match[str]) -> str:
        try:
            url = reverse("job-detail", args=[int(match.group(2))])
        except NoReverseMatch:
            return match.group(0)
        return f'<a href="{url}">{match.group(1)} #{match.group(2)}</a>'

    return mark_safe(_TASK_MENTION.sub(link, str(escaped)))  # noqa: S308 — escaped above
