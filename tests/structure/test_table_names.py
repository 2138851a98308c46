"""No module spells a table name of ours: raw SQL names tables through the owning
model (``Model._meta.db_table``), so a renamed table or app cannot leave a string
behind, and no app writes another's table by name."""

from __future__ import annotations

import ast
import re

from django.apps import apps

from tests.structure.source import PACKAGES, parse, relative, source_files


def _our_tables() -> set[str]:
    return {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in {*PACKAGES, "audit", "jobs"}
        or model.__module__.split(".")[0] in PACKAGES
    }


def _table_name_in_text(tables: set[str]) -> re.Pattern[str]:
    """A table's name as a whole word anywhere in a string: a literal, the start of an
    SQL fragment (``"licensing_orguser AS u"``) or inside one (``'"org_x"."jobs_orgjob"'``);
    not a longer name it begins (the constraint ``calling_phonenumber_e164_key``)."""
    names = "|".join(re.escape(t) for t in sorted(tables, key=len, reverse=True))
    return re.compile(rf"(?<!\w)({names})(?!\w)")


def test_no_module_spells_a_table_name() -> None:
    spelled = _table_name_in_text(_our_tables())
    offenders = [
        f"{relative(path)}:{node.lineno}: {node.value!r}"
        for path in source_files(with_bench=True)
        for node in ast.walk(parse(path))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        and spelled.search(node.value)
    ]  # fmt: skip
    assert not offenders, "use Model._meta.db_table:\n" + "\n".join(offenders)


def test_the_check_finds_a_table_inside_sql_but_not_a_constraint_name() -> None:
    spelled = _table_name_in_text({"jobs_orgjob", "calling_phonenumber"})
    assert spelled.search('UPDATE "org_acme"."jobs_orgjob" SET')
    assert spelled.search("FROM org_acme.jobs_orgjob")
    assert spelled.search("calling_phonenumber AS n")
    assert not spelled.search("calling_phonenumber_e164_key")
