from django.core.management.base import BaseCommand

from accounts.retention import retention_apply


class Command(BaseCommand):
    help = (
        "Apply the retention rules now (beat runs them daily): delete sign-ups that never "
        "confirmed their e-mail, old read notifications, and the content of old sent e-mails. "
        "The days come from RETENTION_UNVERIFIED_SIGNUP_DAYS, RETENTION_READ_NOTIFICATION_DAYS "
        "and RETENTION_SENT_EMAIL_DAYS."
    )

    def handle(self, *args, **options):
        counts = retention_apply()
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count}")
