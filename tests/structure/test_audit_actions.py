"""Audit actions are an enum (``partnerhub.audit.actions.AuditAction``): every writer
passes a member, so no module spells an action as a string of its own."""

from __future__ import annotations

import ast

from partnerhub.audit.actions import AuditAction, label_of
from tests.structure.source import parse, relative, source_files

ACTION_ARGUMENTS = {"action", "audit_action"}


def _spelled_actions(tree: ast.Module) -> list[tuple[int, str]]:
    """``(line, text)`` of every action passed as a literal or f-string, and of every
    string literal that equals an action's value."""
    values = {member.value for member in AuditAction}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg in ACTION_ARGUMENTS and isinstance(
                    keyword.value, ast.Constant | ast.JoinedStr
                ):
                    if isinstance(keyword.value, ast.Constant) and not isinstance(
                        keyword.value.value, str
                    ):
                        continue
                    found.append((node.lineno, ast.unparse(keyword.value)))
        elif isinstance(node, ast.Constant) and node.value in values:
            found.append((node.lineno, repr(node.value)))
    return found


def test_every_audit_writer_uses_the_action_enum() -> None:
    offenders = [
        f"{relative(path)}:{line}: {text}"
        for path in source_files()
        if path.name != "actions.py"
        for line, text in _spelled_actions(parse(path))
        # argparse's ``action="store_true"`` is not an audit action
        if text not in {"'store_true'", "'append'", "'store_false'", "'count'"}
    ]
    assert not offenders, "use partnerhub.audit.actions.AuditAction:\n" + "\n".join(offenders)


def test_stored_action_values_are_unchanged() -> None:
    assert AuditAction.USER_CREATED == "user.created"
    assert AuditAction.CUSTOMER_VIEW_LAUNCHED.value == "customer_view.launched"
    assert len({member.value for member in AuditAction}) == len(AuditAction)


def test_pages_show_an_actions_label_and_old_values_as_they_are() -> None:
    assert label_of("user.created") == "User created"
    assert label_of("something.retired") == "something.retired"
