from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError

from accounts.spreadsheets import SafeCsvWriter
from manufacturers.models import Requirement
from matchmaking.models import Match


class Command(BaseCommand):
    help = (
        "Writes the top matches of every open requirement as CSV to stdout: "
        "requirement_ref,manufacturer,supplier_nib,rank,score."
    )

    def add_arguments(self, parser):
        parser.add_argument("--top", type=int, default=10, help="matches per requirement (10)")

    def handle(self, *args, top: int, **options):
        if top < 1:
            raise CommandError("--top must be at least 1")
        # References and names are typed by users: never let a spreadsheet run them.
        writer = SafeCsvWriter(self.stdout, lineterminator="\n")
        writer.writerow(["requirement_ref", "manufacturer", "supplier_nib", "rank", "score"])
        rows = (
            Match.objects.filter(requirement__status=Requirement.Status.OPEN, rank__lte=top)
            .order_by("requirement__manufacturer__name", "requirement__reference", "rank")
            .values_list(
                "requirement__reference",
                "requirement__manufacturer__name",
                "supplier__nib",
                "rank",
                "score",
            )
        )
        for reference, manufacturer, nib, rank, score in rows.iterator(chunk_size=5000):
            writer.writerow([reference, manufacturer, nib, rank, Decimal(f"{score:.2f}")])
