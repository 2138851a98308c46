from __future__ import annotations

import csv
import io

from calling.workspace_csv.resources import WorkspaceResource
from partnerhub.spreadsheets import spreadsheet_safe


def export_workspaces_csv() -> str:
    """Every workspace of this org with the columns the import reads (TRUE/FALSE per
    subscription), safe to open in a spreadsheet."""
    dataset = WorkspaceResource().export()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(dataset.headers)
    for row in dataset:
        writer.writerow([spreadsheet_safe(value) for value in row])
    return out.getvalue()
