"""Small pieces (STYLE): no module over 400 lines and no function over 60, outside
migrations, tests and benchmarks — split by subject."""

from __future__ import annotations

import ast

from tests.structure.source import parse, relative, source_files

MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def oversized() -> list[str]:
    found = []
    for path in source_files():
        lines = path.read_text(encoding="utf-8").count("\n")
        if lines > MAX_MODULE_LINES:
            found.append(f"{relative(path)}: {lines} lines")
        for node in ast.walk(parse(path)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    found.append(f"{relative(path)}:{node.lineno} {node.name}(): {length} lines")
    return found


def test_no_module_over_400_lines_and_no_function_over_60() -> None:
    found = oversized()
    assert not found, "split by subject:\n" + "\n".join(found)
