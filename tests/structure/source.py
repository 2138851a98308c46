"""Our own Python source, for the tests that check the shape of the tree."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Our packages, lowest layer first.
PACKAGES = ("partnerhub", "customers", "licensing", "calling", "contactcenter")


def module_name(path: Path) -> str:
    """``licensing/services/users.py`` → ``licensing.services.users``."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def source_files(*, with_bench: bool = False, with_migrations: bool = False) -> Iterator[Path]:
    """Every ``.py`` file of our packages (and ``bench/`` when asked)."""
    folders = [*PACKAGES, "bench"] if with_bench else list(PACKAGES)
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if not with_migrations and "migrations" in path.parts:
                continue
            yield path


def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def relative(path: Path) -> str:
    return str(path.relative_to(ROOT))
