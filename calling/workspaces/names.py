"""A workspace's name (SPEC §6 "Workspaces"): 1 to 120 characters, no control
characters (``partnerhub.rules``), unique in any case — the rule of the pages, the API
and the workspace CSV alike."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from calling import errors
from calling.models import Workspace, violated_constraint
from partnerhub.rules import name_problem

NAME_MAX = 120


def clean_name(name: str, *, workspace: Workspace | None = None) -> str:
    """The name trimmed, 1 to ``NAME_MAX`` characters, no control characters, and not
    another workspace's in any case (``InvalidWorkspaceName`` / ``WorkspaceNameTaken``)."""
    name = (name or "").strip()
    if not name or len(name) > NAME_MAX:
        raise errors.InvalidWorkspaceName(
            f"A workspace needs a name of 1 to {NAME_MAX} characters.", field="name"
        )
    problem = name_problem(name, max_length=NAME_MAX)  # control characters (partnerhub.rules)
    if problem is not None:
        raise errors.InvalidWorkspaceName(f"Name: {problem}", field="name")
    taken = Workspace.objects.filter(name__iexact=name)
    if workspace is not None:
        taken = taken.exclude(pk=workspace.pk)
    if taken.exists():
        raise name_taken(name)
    return name


def name_taken(name: str) -> errors.WorkspaceNameTaken:
    return errors.WorkspaceNameTaken(
        f"A workspace named '{name}' already exists: choose another name.", field="name"
    )


def save_named(workspace: Workspace, **save: Any) -> None:
    """Save; another admin taking the name meanwhile ends on the database constraint,
    told apart by its name."""
    try:
        with transaction.atomic():
            workspace.save(**save)
    except IntegrityError as error:
        if violated_constraint(error) == "workspace_name_unique_any_case":
            raise name_taken(workspace.name) from None
        raise
