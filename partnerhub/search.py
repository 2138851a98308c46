"""What a search box typed, made safe to put in a query: trimmed, and without NUL
characters (PostgreSQL text cannot hold them; a ``%00`` in a URL would be a 500)."""

from __future__ import annotations


def search_term(value: str | None) -> str:
    return (value or "").replace("\x00", "").strip()
