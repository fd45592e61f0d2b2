"""``manage.py import_requirements PATH.csv``: create or update requirements by (manufacturer, ref).

Thin wrapper: the rules live in ``manufacturers.importing`` (file contract and report in
``suppliers.importing.csv_common``). Exits with status 1 if the file cannot be read or any row
was rejected.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from manufacturers.importing import COLUMNS, import_requirements_file
from suppliers.importing.csv_common import run_import_command


class Command(BaseCommand):
    help = (
        "Create or update manufacturer requirements from a UTF-8 CSV file, matched by "
        "manufacturer name and ref. Header: "
        + ",".join(COLUMNS)
        + ". Lists are ;-separated codes. Imported requirements are open; a manufacturer not "
        "on file is created unverified. A row with any problem is rejected whole; the others "
        "are saved."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="CSV file to import")

    def handle(self, *args, path: str, verbosity: int, **options) -> None:
        run_import_command(
            lambda: import_requirements_file(path), out=self.stdout, verbosity=verbosity
        )
