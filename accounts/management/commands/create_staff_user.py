import getpass
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.services import STAFF_ROLES, staff_user_create


class Command(BaseCommand):
    help = (
        "Create a ministry, partner or administrator account (sign-up offers only UMKM and "
        "buyer). Prompts for a password on a terminal; otherwise the person sets one through "
        "'Forgot password'."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--role", required=True, choices=[str(r) for r in STAFF_ROLES])
        parser.add_argument("--full-name", default="")
        parser.add_argument("--language", default="id", choices=["id", "en"])
        parser.add_argument(
            "--no-password",
            action="store_true",
            help="Do not prompt; the person sets a password through 'Forgot password'.",
        )

    def handle(self, *args, email: str, role: str, full_name: str, language: str, **options):
        password = None
        if not options["no_password"] and sys.stdin.isatty():
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords differ.")
        try:
            user = staff_user_create(
                email=email,
                role=role,
                full_name=full_name,
                password=password or None,
                preferred_language=language,
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(f"Created {user.email} ({user.get_role_display()})."))
        if not user.has_usable_password():
            self.stdout.write("No password set: they choose one through 'Forgot password'.")
