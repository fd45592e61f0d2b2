"""What the introductions app keeps about a person, for "download my data" and account deletion
(connected to ``accounts.signals`` in ``IntroductionsConfig.ready``).

Introductions and partnerships belong to the two firms and to the ministry's statistics: they
stay. What the person wrote in them goes: the message of a request they sent, the reason of a
decline they gave, the notes of the events they caused, partnership notes or reasons for
ending they were the last to write, and the texts and files of their conversation messages.
The rows keep pointing at the person's account, which becomes an anonymous placeholder
("Deleted user").
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.audit import Entry, audit_records, current_actor
from accounts.export import ExportPart
from accounts.models import AuditRecord, User

from .models import (
    Introduction,
    IntroductionEvent,
    Message,
    MessageAttachment,
    Partnership,
    PartnershipEvent,
)

# Partnership fields that hold free text someone wrote.
FREE_TEXT = ("notes", "ended_reason")
# What stands in for an erased reason for ending (the database requires one on an ended
# partnership); language-neutral on purpose.
ERASED = "—"


def accepted_contacts_read(
    *, introduction: Introduction, buyer_side: bool, supplier_side: bool
) -> int:
    """The contact cards of an accepted introduction were shown to the acting person: recorded
    once per firm whose contacts they saw (a party sees the other firm's, anyone else both)."""
    requirement = introduction.requirement
    firms = []
    if not supplier_side:
        firms.append(("supplier", introduction.supplier_id))
    if not buyer_side:
        firms.append(("manufacturer", requirement.manufacturer_id))
    return audit_records(
        Entry(
            AuditRecord.Action.CONTACT_READ,
            kind,
            pk,
            kind,
            pk,
            fields=[f"introduction:{introduction.pk}"],
        )
        for kind, pk in firms
    )


def accepted_contacts_sent(*, introduction: Introduction, recipients: list[User], by: User) -> int:
    """The acceptance e-mail carried each firm's contacts to the other firm's members: recorded
    once per firm, naming who received them (as user ids: the record holds no contact data)."""
    supplier_ids = {
        user.pk for user in recipients if _member_of(user, "supplier", introduction.supplier_id)
    }
    buyer_ids = {user.pk for user in recipients} - supplier_ids
    requirement = introduction.requirement
    sent = [
        # The supplier's contacts go to the buyer's side, and the other way round.
        ("supplier", introduction.supplier_id, buyer_ids),
        ("manufacturer", requirement.manufacturer_id, supplier_ids),
    ]
    # Whoever accepted caused the e-mail, through whichever door the context says.
    actor = replace(current_actor(), user=by)
    return audit_records(
        (
            Entry(
                AuditRecord.Action.CONTACTS_SENT,
                kind,
                pk,
                kind,
                pk,
                fields=[f"introduction:{introduction.pk}", *(f"to_user:{u}" for u in sorted(to))],
            )
            for kind, pk, to in sent
            if to
        ),
        actor=actor,
    )


def _member_of(user: User, kind: str, firm_id: int) -> bool:
    membership = getattr(user, f"{kind}_membership", None)
    return membership is not None and getattr(membership, f"{kind}_id") == firm_id


def _firm_condition(user: User) -> Q:
    condition = Q(requested_by=user) | Q(decided_by=user)
    supplier = getattr(user, "supplier_membership", None)
    if supplier is not None:
        condition |= Q(supplier_id=supplier.supplier_id)
    buyer = getattr(user, "manufacturer_membership", None)
    if buyer is not None:
        condition |= Q(requirement__manufacturer_id=buyer.manufacturer_id)
    return condition


def _introduction_row(introduction: Introduction, user: User) -> dict[str, Any]:
    requirement = introduction.requirement
    return {
        "id": introduction.pk,
        "requirement_reference": requirement.reference,
        "requirement_title": requirement.title,
        "buyer": requirement.manufacturer.name,
        "supplier": introduction.supplier.legal_name,
        "direction": introduction.direction,
        "status": introduction.status,
        "score": introduction.score,
        "message": introduction.message,
        "decline_reason": introduction.decline_reason,
        "requested_at": introduction.requested_at,
        "requested_by_you": introduction.requested_by_id == user.pk,
        "decided_at": introduction.decided_at,
        "decided_by_you": introduction.decided_by_id == user.pk,
        "expires_at": introduction.expires_at,
    }


def _messages_part(user: User) -> list[ExportPart]:
    """The messages the person wrote (the other firm's stay out: they are about other people)."""
    messages = Message.objects.filter(sender=user).prefetch_related("attachments").order_by("pk")
    rows = [
        {
            "id": message.pk,
            "introduction_id": message.introduction_id,
            "sent_at": message.created_at,
            "message": message.body,
            "files": ", ".join(a.original_name for a in message.attachments.all()),
        }
        for message in messages
    ]
    if not rows:
        return []
    files = [
        (f"{a.pk}-{a.original_name}", a.file)
        for message in messages
        for a in message.attachments.all()
        if a.file
    ]
    return [
        ExportPart(
            "conversation_messages",
            _("The messages you wrote in the conversations of accepted introductions."),
            rows,
            files,
        )
    ]


def export_personal_data(sender, *, user: User, **kwargs) -> list[ExportPart]:
    conversation = _messages_part(user)
    introductions = list(
        Introduction.objects.filter(_firm_condition(user))
        .select_related("requirement", "requirement__manufacturer", "supplier")
        .order_by("pk")
    )
    if not introductions:
        return conversation
    partnerships = Partnership.objects.filter(introduction__in=introductions).select_related(
        "pattern"
    )
    return [
        ExportPart(
            "introductions",
            _("The introductions your company took part in, with their messages."),
            [_introduction_row(introduction, user) for introduction in introductions],
        ),
        ExportPart(
            "partnerships",
            _("The partnerships that grew out of them."),
            [
                {
                    "id": p.pk,
                    "introduction_id": p.introduction_id,
                    "stage": p.stage,
                    "pattern": p.pattern_id,
                    "contract_value_idr": p.contract_value_idr,
                    "start_date": p.start_date,
                    "technology_transfer": p.technology_transfer,
                    "financing": p.financing,
                    "notes": p.notes,
                    "ended_reason": p.ended_reason,
                    "created_by_you": p.created_by_id == user.pk,
                    "created_at": p.created_at,
                    "updated_at": p.updated_at,
                }
                for p in partnerships.order_by("pk")
            ],
        ),
        *conversation,
    ]


def _erase_partnership_texts(user: User) -> None:
    events = PartnershipEvent.objects.filter(actor=user).only("pk", "partnership_id", "changes")
    touched: set[int] = set()
    for event in events:
        changes = dict(event.changes or {})
        written = [name for name in FREE_TEXT if name in changes]
        if not written:
            continue
        for name in written:
            changes[name] = ["", ""]
        PartnershipEvent.objects.filter(pk=event.pk).update(changes=changes)
        touched.add(event.partnership_id)
    for partnership in Partnership.objects.filter(pk__in=touched):
        # The text in force is the person's if their event was the last to write it.
        last = {
            name: PartnershipEvent.objects.filter(
                partnership=partnership, changes__has_key=name
            ).order_by("-at", "-pk")
            for name in FREE_TEXT
        }
        fields = {}
        for name, later in last.items():
            event = later.first()
            if event is not None and event.actor_id == user.pk and getattr(partnership, name):
                fields[name] = ERASED if name == "ended_reason" else ""
        if fields:
            Partnership.objects.filter(pk=partnership.pk).update(**fields)


def erase_personal_data(sender, *, user: User, **kwargs) -> None:
    Introduction.objects.filter(requested_by=user).exclude(message="").update(message="")
    Introduction.objects.filter(decided_by=user).exclude(decline_reason="").update(
        decline_reason=""
    )
    IntroductionEvent.objects.filter(actor=user).exclude(note="").update(note="")
    _erase_partnership_texts(user)
    # Conversation messages: the text and the files go, the message stays as a trace that
    # something was said (the counts the ministry sees do not change).
    Message.objects.filter(sender=user).exclude(body="").update(body="")
    for attachment in MessageAttachment.objects.filter(message__sender=user):
        attachment.file.delete(save=False)
        attachment.delete()
