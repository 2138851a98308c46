from __future__ import annotations

from calling.workspaces.csv.resources import WorkspaceResource
from partnerhub.csvfiles.writing import csv_text


def export_workspaces_csv() -> str:
    """Every workspace of this org with the columns the import reads (TRUE/FALSE per
    subscription), safe to open in a spreadsheet."""
    dataset = WorkspaceResource().export()
    return csv_text(headers=dataset.headers, rows=dataset)
