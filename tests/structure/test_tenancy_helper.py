"""One tenancy helper: only ``partnerhub/tenancy.py`` switches the connection's
schema to an org (``in_org``); nothing else calls django-tenants' ``tenant_context``,
``schema_context`` or ``connection.set_tenant``."""

from __future__ import annotations

import ast

from tests.structure.source import ROOT, parse, relative, source_files

HELPER = ROOT / "partnerhub" / "tenancy.py"
SWITCHES = {"tenant_context", "schema_context", "set_tenant"}


def _switches_in(tree: ast.Module) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if any(alias.name in SWITCHES for alias in node.names):
                lines.append(node.lineno)
        elif isinstance(node, ast.Attribute) and node.attr in SWITCHES:
            lines.append(node.lineno)
        elif isinstance(node, ast.Name) and node.id in SWITCHES:
            lines.append(node.lineno)
    return lines


def test_only_the_tenancy_helper_switches_schemas() -> None:
    offenders = [
        f"{relative(path)}:{line}"
        for path in source_files(with_bench=True, with_migrations=True)
        if path != HELPER
        for line in _switches_in(parse(path))
    ]
    assert not offenders, (
        "switch schemas with partnerhub.tenancy.in_org(customer), not "
        "tenant_context / schema_context / connection.set_tenant:\n" + "\n".join(offenders)
    )
