"""Writes of the conversation: sending a message, marking a thread read, and the e-mail about
messages left unread.

The e-mail job may run twice at once (two beat instances, a redelivered task): each reader's
``ThreadReadState`` row is locked while deciding, and the outbox key names the last message the
e-mail covers, so a reader gets one e-mail per batch of unread messages and at most one per
thread per hour.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Max
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.outbox import email_queue

from ..models import MESSAGE_MAX_LENGTH, Introduction, Message, MessageAttachment, ThreadReadState
from ..selectors import buyer_users, supplier_users
from .selectors import thread_is_open, thread_side

UNREAD_EMAIL_AFTER = timedelta(minutes=15)
EMAIL_AT_MOST_EVERY = timedelta(hours=1)
# Only recent threads are looked at: an old unread message was e-mailed about long ago or its
# reader has left; it must not wake up a year later.
EMAIL_LOOKBACK = timedelta(days=7)
MAX_FILES = 5

Side = Message.Side


def thread_closed_message(introduction: Introduction) -> str:
    if introduction.status == Introduction.Status.REQUESTED:
        return _("The conversation opens once the introduction is accepted.")
    return _(
        "There is no conversation: the introduction was not accepted (it was declined, expired "
        "or withdrawn)."
    )


def _original_name(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip() or "file"
    return base[-200:]


@transaction.atomic
def message_send(
    *,
    introduction: Introduction,
    by: User,
    body: str = "",
    files: Sequence[UploadedFile] = (),
) -> Message:
    """A member of either firm writes in the introduction's thread, with optional files."""
    side = thread_side(by, introduction)
    if side is None:
        raise PermissionDenied(_("Only the members of the two firms can write here."))
    # Locked: a message must not slip in while another request is ending the introduction.
    introduction = (
        Introduction.objects.select_for_update()
        .select_related("requirement", "requirement__manufacturer", "supplier")
        .get(pk=introduction.pk)
    )
    if not thread_is_open(introduction):
        raise ValidationError(thread_closed_message(introduction), code="thread_closed")
    body = (body or "").strip()
    files = list(files)
    if not body and not files:
        raise ValidationError({"body": _("Write a message or attach a file.")}, code="empty")
    if len(body) > MESSAGE_MAX_LENGTH:
        raise ValidationError(
            {"body": _("At most %(max)d characters.") % {"max": MESSAGE_MAX_LENGTH}},
            code="max_length",
        )
    if len(files) > MAX_FILES:
        raise ValidationError(
            {"files": _("At most %(max)d files per message.") % {"max": MAX_FILES}},
            code="too_many_files",
        )
    message = Message(introduction=introduction, side=side, sender=by, body=body)
    attachments = [
        MessageAttachment(
            message=message, file=upload, original_name=_original_name(upload.name or "")
        )
        for upload in files
    ]
    # Every file is checked before anything is stored: a refused second file leaves no first.
    errors: list[ValidationError] = []
    for attachment in attachments:
        attachment.size = attachment.file.size
        try:
            attachment.full_clean(exclude=["message"])
        except ValidationError as exc:
            errors.extend(exc.message_dict.get("file", exc.messages))
    if errors:
        raise ValidationError({"files": errors}, code="invalid_file")
    message.save()
    for attachment in attachments:
        attachment.message = message
        attachment.save()
    # What one writes is read by oneself.
    thread_mark_read(introduction=introduction, user=by, up_to=message.pk)
    return message


def thread_mark_read(
    *, introduction: Introduction, user: User, up_to: int | None = None
) -> ThreadReadState:
    """The user has seen the thread up to message ``up_to`` (default: its newest message).
    Never moves backwards (an older page reloaded later does not bring messages back)."""
    if up_to is None:
        up_to = Message.objects.filter(introduction=introduction).aggregate(m=Max("pk"))["m"] or 0
    with transaction.atomic():
        state, _created = ThreadReadState.objects.get_or_create(
            introduction=introduction, user=user
        )
        ThreadReadState.objects.filter(pk=state.pk).update(
            last_read_message_id=Greatest("last_read_message_id", up_to),
            last_read_at=timezone.now(),
        )
    state.refresh_from_db()
    return state


# --- the e-mail about unread messages ---------------------------------------------------------


def _readers(introduction: Introduction, side: str):
    if side == Side.BUYER:
        return buyer_users(introduction.requirement)
    return supplier_users(introduction.supplier)


def _email_one(*, introduction: Introduction, reader: User, side: str, now: datetime) -> bool:
    """E-mails ``reader`` about the thread if one of the other firm's messages has waited
    unread for 15 minutes, none was e-mailed in the last hour and these messages were not
    e-mailed about before. Locks the reader's row: a concurrent run waits, then finds it done."""
    with transaction.atomic():
        state, _created = ThreadReadState.objects.get_or_create(
            introduction=introduction, user=reader
        )
        state = ThreadReadState.objects.select_for_update().get(pk=state.pk)
        if state.last_emailed_at and state.last_emailed_at > now - EMAIL_AT_MOST_EVERY:
            return False
        floor = max(state.last_read_message_id, state.emailed_up_to_message_id)
        unread = Message.objects.filter(introduction=introduction, pk__gt=floor).exclude(side=side)
        if not unread.filter(created_at__lte=now - UNREAD_EMAIL_AFTER).exists():
            return False
        # The e-mail tells how many are unread in all, not only since the last e-mail.
        summary = (
            Message.objects.filter(introduction=introduction, pk__gt=state.last_read_message_id)
            .exclude(side=side)
            .aggregate(count=Count("pk"), last=Max("pk"))
        )
        requirement = introduction.requirement
        other = (
            introduction.supplier.legal_name
            if side == Side.BUYER
            else requirement.manufacturer.name
        )
        email_queue(
            user=reader,
            template="message_unread",
            context={
                "requirement": requirement.title,
                "other": other,
                "count": summary["count"],
                "url": reverse("introductions:thread", args=[introduction.pk]),
            },
            key=f"thread:{introduction.pk}:user:{reader.pk}:upto:{summary['last']}",
        )
        state.last_emailed_at = now
        state.emailed_up_to_message_id = summary["last"]
        state.save(update_fields=["last_emailed_at", "emailed_up_to_message_id"])
        return True


def unread_message_emails_send(*, now: datetime | None = None) -> int:
    """The beat job: one e-mail per reader and thread for messages unread after 15 minutes, at
    most one per thread per reader per hour. Returns how many e-mails were queued."""
    now = now or timezone.now()
    introduction_ids = (
        Message.objects.filter(
            introduction__status=Introduction.Status.ACCEPTED,
            created_at__lte=now - UNREAD_EMAIL_AFTER,
            created_at__gte=now - EMAIL_LOOKBACK,
        )
        .values_list("introduction_id", flat=True)
        .distinct()
        .order_by("introduction_id")
    )
    queued = 0
    for introduction in Introduction.objects.filter(pk__in=list(introduction_ids)).select_related(
        "requirement", "requirement__manufacturer", "supplier"
    ):
        for side in (Side.BUYER, Side.SUPPLIER):
            for reader in _readers(introduction, side).exclude(email=""):
                queued += _email_one(introduction=introduction, reader=reader, side=side, now=now)
    return queued
