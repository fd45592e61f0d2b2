""" "Download my data" (UU PDP: the right to access and to a copy): a ZIP with, for each part, a
JSON file and a CSV file, and the person's firm's files (photos, certificate documents,
drawings) when they are small enough.

The parts about the account come from here; each app above adds what it keeps about the person
and their firm through ``accounts.signals.personal_data_export``. Nothing about another person
goes in: other members of the firm, the people on the other side of an introduction, ministry
staff appear by their firm or role only.

The archive is built synchronously into a temporary file (in memory up to a few MB, then on
disk): one person's rows are small, and files are capped (``MAX_FILE_BYTES`` each,
``MAX_FILES_BYTES`` in all; bigger ones are listed with where to download them).
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from allauth.account.models import EmailAddress
from django.core.files import File
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import AuditRecord, EmailPreference, Notification, OutboxEmail, PrivacyConsent, User
from .signals import personal_data_export
from .spreadsheets import is_risky

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FILES_BYTES = 50 * 1024 * 1024


@dataclass
class ExportPart:
    """One part of the archive: ``<name>.json`` and ``<name>.csv`` (one row per dict) and the
    files under ``files/<name>/``."""

    name: str
    description: Any  # a (lazy) translatable text for the archive's README
    rows: list[dict[str, Any]]
    files: list[tuple[str, File]] = field(default_factory=list)


def _when(value: datetime | date | None) -> str | None:
    return value.isoformat() if value else None


def account_parts(user: User) -> list[ExportPart]:
    emails = [user.email, *EmailAddress.objects.filter(user=user).values_list("email", flat=True)]
    to_person = Q(user=user)
    for email in emails:
        to_person |= Q(recipient__iexact=email)
    preference = EmailPreference.objects.filter(user=user).first()
    return [
        ExportPart(
            "account",
            gettext_lazy("Your account: name, e-mail, role, language, dates."),
            [
                {
                    "id": user.pk,
                    "email": user.email,
                    "full_name": user.full_name,
                    "role": user.role,
                    "preferred_language": user.preferred_language,
                    "date_joined": _when(user.date_joined),
                    "last_login": _when(user.last_login),
                    "weekly_digest": preference.weekly_digest if preference else None,
                }
            ],
        ),
        ExportPart(
            "email_addresses",
            gettext_lazy("Your e-mail addresses and whether each is confirmed."),
            list(EmailAddress.objects.filter(user=user).values("email", "verified", "primary")),
        ),
        ExportPart(
            "privacy_consents",
            gettext_lazy("Each version of the privacy notice you accepted, when and from where."),
            [
                {
                    "notice_version": c.notice_version,
                    "accepted_at": _when(c.accepted_at),
                    "ip_address": c.ip_address,
                    "user_agent": c.user_agent,
                }
                for c in PrivacyConsent.objects.filter(user=user)
            ],
        ),
        ExportPart(
            "notifications",
            gettext_lazy("The notifications Rantai showed you."),
            [
                {
                    "created_at": _when(n.created_at),
                    "read_at": _when(n.read_at),
                    "kind": n.kind,
                    "text": n.text,
                    "link": n.url,
                }
                for n in Notification.objects.filter(user=user)
            ],
        ),
        ExportPart(
            "emails",
            gettext_lazy("The e-mails Rantai queued or sent to you, with what they said."),
            [
                {
                    "created_at": _when(e.created_at),
                    "sent_at": _when(e.sent_at),
                    "status": e.status,
                    "recipient": e.recipient,
                    "template": e.template,
                    "language": e.language,
                    "context": e.context,
                }
                for e in OutboxEmail.objects.filter(to_person)
            ],
        ),
        ExportPart(
            "audit_records",
            gettext_lazy(
                "What Rantai's audit trail recorded of what you did: changes to companies, "
                "downloads and reads of private data, through which door, with old and new values."
            ),
            [
                {
                    "at": _when(r.at),
                    "door": r.door,
                    "action": r.action,
                    "object_kind": r.object_kind,
                    "object_id": r.object_id,
                    "firm_kind": r.firm_kind,
                    "firm_id": r.firm_id,
                    "fields": r.fields,
                    "changes": r.changes,
                }
                for r in AuditRecord.objects.filter(actor=user).order_by("at", "pk")
            ],
        ),
    ]


def personal_data_parts(user: User) -> list[ExportPart]:
    parts = account_parts(user)
    for _receiver, answer in personal_data_export.send(sender=User, user=user):
        parts.extend(answer or [])
    return parts


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "; ".join(_text(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    # A cell a spreadsheet would run as a formula (CSV injection) gets a leading quote.
    return f"'{text}" if is_risky(text) else text


def _csv(rows: list[dict[str, Any]]) -> str:
    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(row))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(list(columns))
    for row in rows:
        writer.writerow([_text(row.get(column)) for column in columns])
    # A byte-order mark, so spreadsheet programs read the UTF-8 right.
    return "\ufeff" + out.getvalue()


def _size(file: File) -> int | None:
    try:
        return file.size
    except (OSError, ValueError):
        return None


def _add_files(archive: zipfile.ZipFile, part: ExportPart, budget: list[int]) -> list[dict]:
    left_out = []
    for name, file in part.files:
        size = _size(file)
        path = f"files/{part.name}/{name}"
        if size is None:
            left_out.append({"file": path, "reason": "missing"})
            continue
        if size > MAX_FILE_BYTES or size > budget[0]:
            left_out.append({"file": path, "reason": "too large", "bytes": size})
            continue
        try:
            with file.open("rb") as handle:
                archive.writestr(path, handle.read())
        except OSError:
            left_out.append({"file": path, "reason": "missing"})
            continue
        budget[0] -= size
    return left_out


def _readme(user: User, parts: list[ExportPart], left_out: list[dict]) -> str:
    with translation.override(user.preferred_language):
        lines = [
            _("Your personal data at Rantai"),
            _("Made on %(when)s for %(email)s.")
            % {
                "when": formats.date_format(timezone.localtime(), "DATETIME_FORMAT"),
                "email": user.email,
            },
            "",
            _(
                "Each part is in two files with the same content: NAME.json (for programs) and "
                "NAME.csv (for spreadsheets). Files your company uploaded are under files/."
            ),
            "",
        ]
        lines += [f"{part.name}: {part.description}" for part in parts]
        if left_out:
            lines += [
                "",
                _(
                    "These files were too large for the archive (or are missing on the server); "
                    "download them from your company's pages:"
                ),
            ]
            lines += [f"- {item['file']}" for item in left_out]
    return "\n".join(lines) + "\n"


def personal_data_archive(user: User) -> IO[bytes]:
    """The ZIP of everything about ``user`` and their firm, as an open file at position 0."""
    parts = personal_data_parts(user)
    buffer = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 (returned)
    budget = [MAX_FILES_BYTES]
    left_out: list[dict] = []
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for part in parts:
            archive.writestr(
                f"{part.name}.json",
                json.dumps(part.rows, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            )
            archive.writestr(f"{part.name}.csv", _csv(part.rows))
            left_out += _add_files(archive, part, budget)
        archive.writestr("README.txt", _readme(user, parts, left_out))
    buffer.seek(0)
    return buffer
