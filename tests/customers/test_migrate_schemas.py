"""A no-op migrate_schemas skips org schemas that already have every migration (SPEC §9)."""

from __future__ import annotations

import pytest
from django.db import connection
from django_tenants.management.commands.migrate_schemas import MigrateSchemasCommand
from django_tenants.signals import schema_migrated

from customers.migration_executor import get_executor, schemas_needing_migration

pytestmark = pytest.mark.django_db


def migrate_schemas_options(*argv: str) -> dict:
    """The options ``manage.py migrate_schemas ARGV`` hands to its executor."""
    command = MigrateSchemasCommand()
    options = vars(command.create_parser("manage.py", "migrate_schemas").parse_args(argv))
    return {**options, "verbosity": 0}


def test_up_to_date_org_schemas_are_not_migrated_again(world):
    schemas = [world.acme.schema_name, world.globex.schema_name]
    assert schemas_needing_migration(schemas) == []


def test_a_schema_missing_a_migration_is_migrated(world):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL search_path TO org_globex")
        cursor.execute(
            "DELETE FROM django_migrations WHERE id = (SELECT max(id) FROM django_migrations)"
        )
        cursor.execute("SET LOCAL search_path TO public")
    schemas = [world.acme.schema_name, world.globex.schema_name]
    assert schemas_needing_migration(schemas) == [world.globex.schema_name]


def test_a_schema_without_migrations_table_is_migrated(world):
    with connection.cursor() as cursor:
        cursor.execute("CREATE SCHEMA org_brand_new")
    assert schemas_needing_migration(["org_brand_new"]) == ["org_brand_new"]


def test_only_stale_schemas_are_migrated(world):
    with connection.cursor() as cursor:
        cursor.execute("CREATE SCHEMA org_brand_new")
    migrated: list[str] = []

    def remember(sender, schema_name, **kwargs):  # type: ignore[no-untyped-def]
        migrated.append(schema_name)

    schema_migrated.connect(remember)
    try:
        executor = get_executor("standard")([], migrate_schemas_options("--noinput"))
        executor.run_migrations(tenants=[world.acme.schema_name, "org_brand_new"])
    finally:
        schema_migrated.disconnect(remember)
        connection.set_schema_to_public()
    assert migrated == ["org_brand_new"]
    assert schemas_needing_migration(["org_brand_new"]) == []


def test_targeted_migrations_are_passed_through_unfiltered(world):
    executor = get_executor("standard")([], migrate_schemas_options("licensing"))
    assert executor._plain_migrate() is False
