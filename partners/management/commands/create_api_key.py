"""``create_api_key --partner NAME --scopes SCOPE[,SCOPE]``: prints a new key once."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from partners.models import ApiScope, PartnerOrganisation
from partners.services import api_key_create


class Command(BaseCommand):
    help = "Creates an API key for a partner organisation and prints it (only this once)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--partner", required=True, help="Partner organisation name")
        parser.add_argument(
            "--scopes",
            required=True,
            help="Comma-separated: " + ", ".join(ApiScope.values),
        )
        parser.add_argument("--name", default="", help="A label for the key")
        parser.add_argument(
            "--kind",
            choices=PartnerOrganisation.Kind.values,
            default=PartnerOrganisation.Kind.OTHER,
            help="Kind of a partner created by this command",
        )
        parser.add_argument("--rate", type=int, default=None, help="Requests per minute")

    def handle(self, *args, **options) -> None:
        partner, created = PartnerOrganisation.objects.get_or_create(
            name=options["partner"].strip(), defaults={"kind": options["kind"]}
        )
        if not partner.is_active:
            raise CommandError(f"Partner {partner} is not active.")
        try:
            api_key, raw = api_key_create(
                partner=partner,
                scopes=options["scopes"].split(","),
                name=options["name"],
                rate_per_minute=options["rate"],
            )
        except ValidationError as exc:
            if created:
                partner.delete()
            raise CommandError("; ".join(exc.messages)) from exc
        if created:
            self.stderr.write(f"Created partner organisation {partner.name} ({partner.kind}).")
        self.stderr.write(
            f"API key {api_key.prefix} with scopes {', '.join(api_key.scopes)}. "
            "Store it now: it is not shown again."
        )
        self.stdout.write(raw)
