from __future__ import annotations

import csv
import io

from licensing.csv.resources import UserResource
from partnerhub.spreadsheets import spreadsheet_safe


def export_users_csv() -> str:
    """Every user with the same columns the import reads, safe for spreadsheets."""
    dataset = UserResource().export()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(dataset.headers)
    for row in dataset:
        writer.writerow([spreadsheet_safe(value) for value in row])
    return out.getvalue()
