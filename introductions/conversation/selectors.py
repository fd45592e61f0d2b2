"""Reads about conversations: whose side a reader is on, unread counts, the counts the ministry
and the admin see (never content) and the WhatsApp link."""

from __future__ import annotations

from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.db.models import Count, F, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from accounts.models import User
from suppliers.validation import normalise_phone

from ..models import Introduction, Message, ThreadReadState
from ..selectors import is_buyer_side, is_supplier_side

Side = Message.Side


def thread_side(user: User, introduction: Introduction) -> str | None:
    """The side the user writes for in this introduction's thread, or None for an outsider."""
    if is_buyer_side(user, introduction):
        return Side.BUYER
    if is_supplier_side(user, introduction):
        return Side.SUPPLIER
    return None


def thread_is_open(introduction: Introduction) -> bool:
    """A thread exists only while the introduction is accepted: before that the firms have not
    agreed to talk, and a declined, expired or withdrawn one was never accepted."""
    return introduction.status == Introduction.Status.ACCEPTED


def thread_messages(introduction: Introduction) -> QuerySet[Message]:
    return (
        Message.objects.filter(introduction=introduction)
        .select_related("sender")
        .prefetch_related("attachments")
        .order_by("created_at", "pk")
    )


def read_up_to(user: User, introduction: Introduction) -> int:
    """The id of the last message the user has seen in the thread (0: none)."""
    state = ThreadReadState.objects.filter(introduction=introduction, user=user).first()
    return state.last_read_message_id if state else 0


def _unread_messages(user: User) -> QuerySet[Message]:
    """Messages the other firm wrote in the user's open threads after what the user has read."""
    if not user.is_authenticated:
        return Message.objects.none()
    mine = Q(pk__in=[])
    # Only the membership the role can have is looked up: this runs on every page's header.
    supplier_membership = getattr(user, "supplier_membership", None) if user.is_umkm else None
    if supplier_membership:
        mine |= Q(introduction__supplier_id=supplier_membership.supplier_id, side=Side.BUYER)
    buyer_membership = getattr(user, "manufacturer_membership", None) if user.is_buyer else None
    if buyer_membership:
        mine |= Q(
            introduction__requirement__manufacturer_id=buyer_membership.manufacturer_id,
            side=Side.SUPPLIER,
        )
    read_up_to = ThreadReadState.objects.filter(
        introduction_id=OuterRef("introduction_id"), user=user
    ).values("last_read_message_id")[:1]
    return (
        Message.objects.filter(mine, introduction__status=Introduction.Status.ACCEPTED)
        .annotate(read_up_to=Coalesce(Subquery(read_up_to), 0))
        .filter(pk__gt=F("read_up_to"))
    )


def unread_total(user: User) -> int:
    """Unread messages over all the user's threads (the header's badge)."""
    return _unread_messages(user).count()


def unread_by_introduction(user: User) -> dict[int, int]:
    """{introduction id: unread messages} for the user's threads that have any."""
    rows = _unread_messages(user).values("introduction_id").annotate(n=Count("pk")).order_by()
    return {row["introduction_id"]: row["n"] for row in rows}


def unread_count(user: User, introduction: Introduction) -> int:
    return _unread_messages(user).filter(introduction=introduction).count()


def unread_threads(user: User) -> list[tuple[Introduction, int]]:
    """The user's threads with unread messages, most recent first (the notification centre)."""
    counts = unread_by_introduction(user)
    if not counts:
        return []
    introductions = (
        Introduction.objects.filter(pk__in=counts)
        .select_related("requirement", "requirement__manufacturer", "supplier")
        .annotate(last_message_at=Max("messages__created_at"))
        .order_by("-last_message_at", "-pk")
    )
    return [(introduction, counts[introduction.pk]) for introduction in introductions]


def message_counts(introductions: QuerySet[Introduction]) -> QuerySet[Introduction]:
    """Introductions annotated with how many messages each side wrote and when the last one
    was: all the ministry and the admin ever see of a conversation."""
    return introductions.annotate(
        messages_total=Count("messages"),
        messages_from_buyer=Count("messages", filter=Q(messages__side=Side.BUYER)),
        messages_from_supplier=Count("messages", filter=Q(messages__side=Side.SUPPLIER)),
        last_message_at=Max("messages__created_at"),
    )


def conversation_overview() -> QuerySet[Introduction]:
    """Accepted introductions with their message counts, the most recently active first."""
    accepted = Introduction.objects.filter(status=Introduction.Status.ACCEPTED).select_related(
        "requirement", "requirement__manufacturer", "supplier"
    )
    return message_counts(accepted).order_by(F("last_message_at").desc(nulls_last=True), "-pk")


def whatsapp_link(user: User, introduction: Introduction) -> str | None:
    """``https://wa.me/62...?text=...`` to the other side's contact number, with a greeting in
    the language the reader reads the page in; None while contacts are not shared or when the
    other side has no (valid) number. Buyers have no phone number in Rantai, so only the buyer
    side gets a link, to the UMKM's contact."""
    if not thread_is_open(introduction) or thread_side(user, introduction) != Side.BUYER:
        return None
    supplier = introduction.supplier
    if not supplier.contact_phone:
        return None
    try:
        number = normalise_phone(supplier.contact_phone).removeprefix("+")
    except ValidationError:
        return None
    greeting = _(
        "Hello %(contact)s, this is %(buyer)s. We found %(supplier)s on Rantai and would like "
        "to talk about our requirement “%(requirement)s”."
    ) % {
        "contact": supplier.contact_name or supplier.legal_name,
        "buyer": introduction.requirement.manufacturer.name,
        "supplier": supplier.legal_name,
        "requirement": introduction.requirement.title,
    }
    return f"https://wa.me/{number}?text={quote(greeting, safe='')}"
