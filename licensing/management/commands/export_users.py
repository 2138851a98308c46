from __future__ import annotations

from licensing.csv.commands import CsvExportCommand
from licensing.csv.exports import export_users_csv


class Command(CsvExportCommand):
    help = "Export the users CSV of an org (the columns the import reads)."
    exporter = export_users_csv
