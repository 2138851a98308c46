from __future__ import annotations

from calling.workspaces.csv.exports import export_workspaces_csv
from licensing.csv.commands import CsvExportCommand


class Command(CsvExportCommand):
    help = "Export the workspaces CSV of an org (the columns the import reads)."
    exporter = export_workspaces_csv
