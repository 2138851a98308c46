"""Reading the org's active auto-license templates with their lines (SPEC §5), for
``licensing.services.templates``: every new user reads them (one SCIM POST each), so
it is one statement of fixed text rather than an ORM query and a prefetch to compile."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from django.db import connection

from licensing.models import AutoLicenseTemplate, Subscription, SubscriptionLine
from partnerhub.prepared import hot_cursor


def active_templates() -> list[AutoLicenseTemplate]:
    """The active templates by name, each with its lines (``template.lines.all()``,
    by subscription and license type) and their subscriptions: one statement of fixed
    text, no ORM query to compile — every new user reads them (a SCIM POST each)."""
    sql, widths = _active_templates_sql()
    with hot_cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    templates: dict[int, AutoLicenseTemplate] = {}
    lines: dict[int, list[SubscriptionLine]] = {}
    t_end, l_end = widths[0], widths[0] + widths[1]
    for row in rows:
        template = templates.get(row[0])
        if template is None:
            template = templates[row[0]] = _from_row(AutoLicenseTemplate, row[:t_end])
            lines[template.pk] = []
        if row[t_end] is not None:
            line = _from_row(SubscriptionLine, row[t_end:l_end])
            line.subscription = _from_row(Subscription, row[l_end:])
            lines[template.pk].append(line)
    for template in templates.values():
        # As prefetch_related leaves it: ``template.lines.all()`` reads no more.
        prefetched = template.lines.get_queryset()
        prefetched._result_cache, prefetched._prefetch_done = lines[template.pk], True
        template._prefetched_objects_cache = {"lines": prefetched}
    return list(templates.values())


def _from_row(model: type[Any], values: Sequence[Any]) -> Any:
    return model.from_db("default", [f.attname for f in model._meta.concrete_fields], values)


@functools.cache
def _active_templates_sql() -> tuple[str, tuple[int, int, int]]:
    """``active_templates``' statement (the same in every org's schema) and how many
    columns each model takes in its rows."""
    models = (AutoLicenseTemplate, SubscriptionLine, Subscription)
    quote = connection.ops.quote_name
    columns = ", ".join(
        f"{alias}.{quote(f.column)}"
        for alias, model in zip("tls", models, strict=True)
        for f in model._meta.concrete_fields
    )
    through = AutoLicenseTemplate.lines.through
    sql = (
        f"SELECT {columns} FROM {quote(AutoLicenseTemplate._meta.db_table)} AS t "  # noqa: S608
        f"LEFT JOIN ({quote(through._meta.db_table)} AS tl "
        f"JOIN {quote(SubscriptionLine._meta.db_table)} AS l ON l.id = tl.subscriptionline_id "
        f"JOIN {quote(Subscription._meta.db_table)} AS s ON s.id = l.subscription_id) "
        "ON tl.autolicensetemplate_id = t.id "
        "WHERE t.is_active ORDER BY t.name, t.id, s.external_id, l.license_type"
    )
    return sql, tuple(len(m._meta.concrete_fields) for m in models)  # type: ignore[return-value]
