from __future__ import annotations

from licensing.csv.resources import UserResource
from partnerhub.csvfiles.writing import csv_text


def export_users_csv() -> str:
    """Every user with the same columns the import reads, safe for spreadsheets."""
    dataset = UserResource().export()
    return csv_text(headers=dataset.headers, rows=dataset)
