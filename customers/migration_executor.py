"""``migrate_schemas`` that skips org schemas already up to date (SPEC §9).

A plain ``migrate_schemas`` with nothing to do still opened every schema and ran
Django's migrate in it: ~0.2 s per org with 1,000 orgs. Here one query per batch of
schemas reads which migrations each one has recorded; a schema that has every
migration of the project is left alone, every other one goes through django-tenants'
executor as before. Anything other than a plain "migrate everything" (an app label,
a target migration, --fake, --plan, --prune, --check, …) is passed through unchanged.

Wired in with django-tenants' ``GET_EXECUTOR_FUNCTION`` setting.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django_tenants.migration_executors import get_executor as tenants_get_executor
from django_tenants.utils import get_public_schema_name, get_tenant_database_alias

BATCH = 500
# Options of migrate_schemas that ask for something else than "apply what is missing".
SPECIAL_OPTIONS = (
    "app_label",
    "migration_name",
    "fake",
    "fake_initial",
    "plan",
    "prune",
    "check_unapplied",
    "run_syncdb",
)


def project_migrations(alias: str) -> list[str]:
    """Every migration of the project as ``app.name`` (squashes resolved as Django does)."""
    loader = MigrationLoader(connections[alias], ignore_no_migrations=True, load=True)
    return sorted(f"{app}.{name}" for app, name in loader.graph.nodes)


def schemas_needing_migration(schemas: Iterable[str], *, alias: str | None = None) -> list[str]:
    """The schemas among ``schemas`` that miss at least one project migration, in the
    order given. A schema without a ``django_migrations`` table needs migrating."""
    alias = alias or get_tenant_database_alias()
    schemas = list(schemas)
    expected = project_migrations(alias)
    up_to_date: set[str] = set()
    quote = connections[alias].ops.quote_name
    with connections[alias].cursor() as cursor:
        cursor.execute(
            "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relname = 'django_migrations' AND c.relkind = 'r' AND n.nspname = ANY(%s)",
            [schemas],
        )
        with_table = [row[0] for row in cursor.fetchall()]
        for start in range(0, len(with_table), BATCH):
            batch = with_table[start : start + BATCH]
            # Schema names come from pg_namespace and are quoted; the list is a parameter.
            query = " UNION ALL ".join(
                f"SELECT %s, count(DISTINCT app || '.' || name) FROM "  # noqa: S608
                f"{quote(schema)}.django_migrations WHERE app || '.' || name = ANY(%s)"
                for schema in batch
            )
            params: list = []
            for schema in batch:
                params += [schema, expected]
            cursor.execute(query, params)
            up_to_date |= {name for name, count in cursor.fetchall() if count == len(expected)}
    return [schema for schema in schemas if schema not in up_to_date]


class SkipUpToDateMixin:
    """Put in front of a django-tenants executor class."""

    def _plain_migrate(self) -> bool:
        return not any(self.options.get(option) for option in SPECIAL_OPTIONS)

    def run_migrations(self, tenants=None):  # type: ignore[no-untyped-def]
        tenants = list(tenants or [])
        if self._plain_migrate():
            public = get_public_schema_name()
            orgs = [schema for schema in tenants if schema != public]
            alias = self.options.get("database") or get_tenant_database_alias()
            stale = set(schemas_needing_migration(orgs, alias=alias)) if orgs else set()
            skipped = len(orgs) - len(stale)
            tenants = [schema for schema in tenants if schema == public or schema in stale]
            if skipped and int(self.options.get("verbosity", 1)) >= 1:
                sys.stdout.write(f"{skipped} org schema(s) already up to date: skipped.\n")
        return super().run_migrations(tenants=tenants)


def get_executor(codename: str | None = None) -> type:
    """django-tenants' executor for ``codename``, skipping up-to-date schemas."""
    base = tenants_get_executor(codename)
    return type(f"SkipUpToDate{base.__name__}", (SkipUpToDateMixin, base), {})
