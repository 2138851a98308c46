from __future__ import annotations

from calling.jobs import CallingJob
from licensing.csv.commands import CsvImportCommand


class Command(CsvImportCommand):
    help = (
        "Import the workspaces CSV into an org. Exit 0 when applied (or a clean dry run), "
        "1 when rows have errors (a row removing a workspace's calling is one, unless "
        "--confirm-calling-loss), 2 for a file-level error."
    )
    kind = CallingJob.WORKSPACE_CSV
    holders = "workspace(s) would lose their calling"
    loss_help = (
        "Apply rows that remove workspaces' calling (license, number, extension, "
        "voicemail, settings; kept 30 days to restore). Without it such rows are errors."
    )
