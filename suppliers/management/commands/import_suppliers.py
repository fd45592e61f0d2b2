"""``manage.py import_suppliers PATH.csv``: create or update UMKM from a list, by NIB.

Thin wrapper: the rules live in ``suppliers.importing`` (file contract and report in
``csv_common``, update rules in ``upsert``). Exits with status 1 if the file cannot be read or
any row was rejected.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from suppliers.importing import COLUMNS, import_suppliers_file
from suppliers.importing.csv_common import run_import_command


class Command(BaseCommand):
    help = (
        "Create or update UMKM suppliers from a UTF-8 CSV file, matched by NIB. Header: "
        + ",".join(COLUMNS)
        + ". Lists are ;-separated codes; certifications are CODE or CODE@YYYY-MM-DD. Empty "
        "cells keep the stored value. province is the Kemendagri code; regency is a code "
        "(32.04) or a name in that province, prefixes Kab./Kabupaten/Kota/Kota Administrasi "
        "optional; a bare name shared by a kabupaten and a kota (Bandung) means the kabupaten, "
        "write Kota Bandung for the city. A row with any problem is rejected whole; the others "
        "are saved. A row that would change nothing is reported as unchanged and not written."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="CSV file to import")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row but save nothing."
        )

    def handle(self, *args, path: str, dry_run: bool, verbosity: int, **options) -> None:
        run_import_command(
            lambda: import_suppliers_file(path, dry_run=dry_run),
            out=self.stdout,
            verbosity=verbosity,
        )
