"""``manage.py seed_demo [--if-empty] [--suppliers N]``: demo companies and demo log-ins.

Deterministic (one seeded random generator), so running it again changes nothing. The UMKM side
lives in ``suppliers.demo``, the buyer side in ``manufacturers.demo``, introductions and
partnerships in ``introductions.demo``; the command sits here, in the app above all three, so that
none of them has to import another's demo.
"""

from __future__ import annotations

import random

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.privacy import consent_record
from introductions.demo import seed_introductions
from manufacturers.demo import BUYER_EMAIL, seed_manufacturers
from suppliers.demo import (
    ADMIN_EMAIL,
    DEFAULT_SUPPLIERS,
    DEMO_PASSWORD,
    MINISTRY_EMAIL,
    SEED,
    UMKM_EMAIL,
    ensure_demo_users,
    seed_suppliers,
)
from suppliers.models import Province, Supplier


class Command(BaseCommand):
    help = "Create realistic demo UMKM (and buyers, if available) and print the demo log-ins."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (but print the log-ins) when suppliers already exist.",
        )
        parser.add_argument(
            "--suppliers",
            type=int,
            default=DEFAULT_SUPPLIERS,
            help=f"How many demo UMKM (default {DEFAULT_SUPPLIERS}).",
        )

    def handle(self, *args, if_empty: bool, suppliers: int, **options) -> None:
        if suppliers < 1:
            raise CommandError(_("--suppliers must be at least 1."))
        if not Province.objects.exists():
            raise CommandError(_("Reference data is missing: run manage.py migrate first."))
        users = ensure_demo_users()
        if if_empty and Supplier.objects.exists():
            self.stdout.write(_("Suppliers already exist: demo data left as it is."))
        else:
            created = seed_suppliers(rng=random.Random(SEED), count=suppliers, users=users)
            self.stdout.write(
                _("Demo UMKM created: %(created)d (total suppliers: %(total)d).")
                % {"created": created, "total": Supplier.objects.count()}
            )
            seed_manufacturers(rng=random.Random(SEED + 1), stdout=self.stdout)
            seed_introductions(
                rng=random.Random(SEED + 2),
                stdout=self.stdout,
                demo_supplier=Supplier.objects.filter(members__user=users[User.Role.UMKM]).first(),
            )
        # The demo log-ins have accepted the privacy notice in force, so trying Rantai starts on
        # its pages; a later version of the notice is asked for as for everyone.
        for user in User.objects.filter(
            email__in=[UMKM_EMAIL, MINISTRY_EMAIL, ADMIN_EMAIL, BUYER_EMAIL]
        ):
            consent_record(user=user)
        self.stdout.write(_("Demo log-ins (password %(password)s):") % {"password": DEMO_PASSWORD})
        for email, label in (
            (UMKM_EMAIL, _("UMKM owner")),
            (MINISTRY_EMAIL, _("ministry staff")),
            (ADMIN_EMAIL, _("administrator")),
        ):
            self.stdout.write(f"  {email}  ({label})")
