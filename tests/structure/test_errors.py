"""Errors live in each app's ``errors.py`` (issue 12, STYLE: Saleor's error codes): no
module of ours defines an exception class anywhere else. A private class (``_Refused``)
that never leaves its module — a signal between two of its functions — is no error of
the app and may stay beside them."""

from __future__ import annotations

import ast
import builtins

from tests.structure.source import parse, relative, source_files

BUILTIN_EXCEPTIONS = {
    name
    for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException)
}


def _base_names(node: ast.ClassDef) -> set[str]:
    """``errors.Conflict`` → ``Conflict``: the last name of each base."""
    return {ast.unparse(base).rpartition(".")[2] for base in node.bases}


def _is_exception_name(name: str, known: set[str]) -> bool:
    return name in known or name.endswith(("Error", "Exception", "Exit"))


def exception_classes() -> list[tuple[str, ast.ClassDef]]:
    """``(module path, class)`` of every top-level class of ours that derives from an
    exception: the builtins', a library's (``…Error``), or one of ours, transitively."""
    classes = [
        (relative(path), node)
        for path in source_files()
        for node in parse(path).body
        if isinstance(node, ast.ClassDef)
    ]
    known = set(BUILTIN_EXCEPTIONS)
    while True:
        found = {
            node.name
            for _, node in classes
            if any(_is_exception_name(base, known) for base in _base_names(node))
        }
        if found <= known:
            break
        known |= found
    return [(path, node) for path, node in classes if node.name in known - BUILTIN_EXCEPTIONS]


def test_every_error_class_lives_in_an_errors_module() -> None:
    offenders = [
        f"{path}:{node.lineno} {node.name}"
        for path, node in exception_classes()
        if not path.endswith("errors.py") and not node.name.startswith("_")
    ]
    assert not offenders, "move them to the app's errors.py:\n" + "\n".join(offenders)


def test_the_check_sees_errors_derived_from_our_own() -> None:
    names = {node.name for _, node in exception_classes()}
    assert {"DomainError", "EmailInAnotherOrg", "ScimError", "JobAlreadyRunning"} <= names
