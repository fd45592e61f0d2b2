from django.core.management.base import BaseCommand

from matchmaking.services import rescore_everything


class Command(BaseCommand):
    help = "Scores every open requirement against every supplier now (synchronously)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--processes",
            type=int,
            default=1,
            help="share the work among this many processes (one per CPU core is sensible)",
        )

    def handle(self, *args, processes: int, **options):
        stats = rescore_everything(processes=max(1, processes))
        self.stdout.write(
            f"Rescored {stats.requirements} open requirements against {stats.suppliers} "
            f"suppliers ({stats.pairs} pairs): {stats.matches} matches stored, "
            f"{stats.removed} stale removed, in {stats.seconds:.2f} s."
        )
