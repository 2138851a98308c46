from __future__ import annotations

from licensing.csv.commands import CsvImportCommand
from licensing.jobs import LicensingJob


class Command(CsvImportCommand):
    help = (
        "Import the users CSV into an org. Exit 0 when applied (or a clean dry run), "
        "1 when rows have errors (a row removing calling data is one, unless "
        "--confirm-calling-loss), 2 for a file-level error."
    )
    kind = LicensingJob.USER_CSV
    holders = "user(s) would lose their calling data"
    loss_help = (
        "Apply rows that remove users' calling data (number, extension, voicemail, "
        "settings; kept 30 days to restore). Without it such rows are errors."
    )
