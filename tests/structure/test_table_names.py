"""No module spells a table name of ours: raw SQL names tables through the owning
model (``Model._meta.db_table``), so a renamed table or app cannot leave a string
behind, and no app writes another's table by name."""

from __future__ import annotations

import ast

from django.apps import apps

from tests.structure.source import PACKAGES, parse, relative, source_files


def _our_tables() -> set[str]:
    return {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in {*PACKAGES, "audit", "jobs"}
        or model.__module__.split(".")[0] in PACKAGES
    }


def test_no_module_spells_a_table_name() -> None:
    tables = _our_tables()
    offenders = [
        f"{relative(path)}:{node.lineno}: {node.value!r}"
        for path in source_files(with_bench=True)
        for node in ast.walk(parse(path))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        # in a literal or at the start of an SQL fragment: "licensing_orguser AS u"
        and (node.value in tables or node.value.split(" ")[0].strip('"') in tables)
    ]
    assert not offenders, "use Model._meta.db_table:\n" + "\n".join(offenders)
