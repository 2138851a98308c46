"""The import graph of our code (every import, top-level or inside a function;
``if TYPE_CHECKING`` blocks aside): no cycles between modules, and the ground floor,
``partnerhub``, imports no app (STYLE: a lower layer never imports a higher one)."""

from __future__ import annotations

from tests.structure.imports import cycles, import_graph

APPS = {"customers", "licensing", "calling", "contactcenter"}


def test_no_import_cycles_between_modules() -> None:
    found = cycles(import_graph())
    assert not found, "modules that import each other:\n" + "\n".join(
        " ⇄ ".join(cycle) for cycle in found
    )


def test_partnerhub_imports_no_app() -> None:
    offenders = [
        f"{module} imports {target}"
        for module, targets in sorted(import_graph().items())
        if module.split(".")[0] == "partnerhub"
        for target in sorted(targets)
        if target.split(".")[0] in APPS
    ]
    assert not offenders, "\n".join(offenders)


def test_the_user_csv_reaches_calling_services_only_through_the_seam() -> None:
    # licensing's CSV engine calls calling's batch through CallingHooks (bound at start-up)
    offenders = [
        f"{module} imports {target}"
        for module, targets in sorted(import_graph().items())
        if module.startswith("licensing.csv")
        for target in sorted(targets)
        if target.startswith("calling.services")
    ]
    assert not offenders, "\n".join(offenders)
