"""The audit trail for ministry staff and administrators (``/reports/audit/``): its filters, the
filtered records, and the rows of the page and of the CSV export.

Records keep ids only (``accounts.audit``); firm names and people's e-mail addresses are read
here, for the page, from the firms and accounts as they are now.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import AuditRecord
from manufacturers.models import Manufacturer
from suppliers.models import Supplier

PAGE_SIZE = 50
# A firm search naming more firms than this is cut to the first ones (by id).
MAX_FIRMS = 1000
FIRM_REF = re.compile(r"^\s*(supplier|manufacturer):(\d{1,18})\s*$")
FIRM_KINDS = {"supplier": gettext_lazy("UMKM"), "manufacturer": gettext_lazy("Manufacturer")}


class AuditFilterForm(forms.Form):
    firm = forms.CharField(
        label=gettext_lazy("Firm"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Name, NIB or NPWP (part of a name is enough)."),
    )
    person = forms.CharField(
        label=gettext_lazy("Person, partner or command"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("E-mail address, partner name, API key prefix or command."),
    )
    action = forms.ChoiceField(label=gettext_lazy("Action"), required=False)
    door = forms.ChoiceField(label=gettext_lazy("Door"), required=False)
    date_from = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["action"].choices = everything + list(AuditRecord.Action.choices)
        self.fields["door"].choices = everything + list(AuditRecord.Door.choices)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date must not be before the start date."))
        return data

    def filters(self) -> Filters:
        """The valid filters; a field with an error filters nothing (its message is shown)."""
        if not self.is_bound:
            return Filters()
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        if "date_to" in self.errors:
            data.pop("date_from", None)
        return Filters(
            firm=(data.get("firm") or "").strip(),
            person=(data.get("person") or "").strip(),
            action=data.get("action") or "",
            door=data.get("door") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )


@dataclass(frozen=True)
class Filters:
    firm: str = ""
    person: str = ""
    action: str = ""
    door: str = ""
    date_from: date | None = None
    date_to: date | None = None


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _firm_ids(text: str) -> dict[str, list[int]]:
    """The firms a search names: ``supplier:12`` exactly, else by NIB or NPWP, or by name."""
    exact = FIRM_REF.match(text)
    if exact:
        return {exact.group(1): [int(exact.group(2))]}
    digits = re.sub(r"\D", "", text)
    suppliers = Q(legal_name__icontains=text)
    manufacturers = Q(name__icontains=text)
    if digits:
        suppliers |= Q(nib=digits)
        manufacturers |= Q(npwp=digits)
    return {
        "supplier": list(
            Supplier.objects.filter(suppliers)
            .order_by("pk")
            .values_list("pk", flat=True)[:MAX_FIRMS]
        ),
        "manufacturer": list(
            Manufacturer.objects.filter(manufacturers)
            .order_by("pk")
            .values_list("pk", flat=True)[:MAX_FIRMS]
        ),
    }


def _firm_q(text: str) -> Q:
    condition = Q(pk__in=[])
    for kind, ids in _firm_ids(text).items():
        if ids:
            # Records written before the firm was recorded name it as their object.
            condition |= Q(firm_kind=kind, firm_id__in=ids)
            condition |= Q(firm_kind="", object_kind=kind, object_id__in=ids)
    return condition


def audit_trail(f: Filters) -> QuerySet[AuditRecord]:
    """The records the filters select, newest first."""
    records = AuditRecord.objects.select_related("actor").order_by("-at", "-pk")
    if f.firm:
        records = records.filter(_firm_q(f.firm))
    if f.person:
        records = records.filter(
            Q(actor__email__icontains=f.person) | Q(actor_label__icontains=f.person)
        )
    if f.action:
        records = records.filter(action=f.action)
    if f.door:
        records = records.filter(door=f.door)
    if f.date_from:
        records = records.filter(at__gte=_moment(f.date_from))
    if f.date_to:
        records = records.filter(at__lt=_moment(f.date_to + timedelta(days=1)))
    return records


# --- rows -------------------------------------------------------------------------------------


@dataclass
class Row:
    record: AuditRecord
    who: str
    firm_kind: str
    firm_id: int | None
    firm_name: str
    changes: list[tuple[str, str, str]]

    @property
    def firm_ref(self) -> str:
        return f"{self.firm_kind}:{self.firm_id}" if self.firm_id else ""

    @property
    def firm_kind_label(self) -> str:
        return str(FIRM_KINDS.get(self.firm_kind, ""))

    @property
    def fields_text(self) -> str:
        return ", ".join(self.record.fields or [])

    @property
    def changes_text(self) -> str:
        return "; ".join(f"{name}: {old or '—'} → {new or '—'}" for name, old, new in self.changes)


def _firm_of(record: AuditRecord) -> tuple[str, int | None]:
    if record.firm_kind:
        return record.firm_kind, record.firm_id
    if record.object_kind in FIRM_KINDS:
        return record.object_kind, record.object_id
    return "", None


def _who(record: AuditRecord) -> str:
    if record.actor is not None:
        return record.actor.email
    return record.actor_label or str(_("System"))


def _change(name: str, values) -> tuple[str, str, str]:
    old, new = [*values, "", ""][:2]
    return name, "" if old is None else str(old), "" if new is None else str(new)


def rows(records: Iterable[AuditRecord]) -> list[Row]:
    """The records with their firms' current names (two queries for a page)."""
    records = list(records)
    firms = [_firm_of(record) for record in records]
    wanted: dict[str, set[int]] = {"supplier": set(), "manufacturer": set()}
    for kind, pk in firms:
        if pk is not None:
            wanted[kind].add(pk)
    names = {
        "supplier": dict(
            Supplier.objects.filter(pk__in=wanted["supplier"]).values_list("pk", "legal_name")
        ),
        "manufacturer": dict(
            Manufacturer.objects.filter(pk__in=wanted["manufacturer"]).values_list("pk", "name")
        ),
    }
    return [
        Row(
            record=record,
            who=_who(record),
            firm_kind=kind,
            firm_id=pk,
            firm_name=names.get(kind, {}).get(pk, "") if pk is not None else "",
            changes=[_change(name, values) for name, values in (record.changes or {}).items()],
        )
        for record, (kind, pk) in zip(records, firms, strict=True)
    ]


def csv_header() -> list[str]:
    return [
        _("When (UTC)"),
        _("Person, partner or command"),
        _("Door"),
        _("Action code"),
        _("Action"),
        _("Object"),
        _("Object id"),
        _("Kind of firm"),
        _("Firm id"),
        _("Firm"),
        _("Fields"),
        _("Old → new"),
    ]


def csv_rows(records: QuerySet[AuditRecord], chunk: int = 2000) -> Iterator[list]:
    """Every record as a CSV row, read in chunks (an export may hold many thousands)."""
    batch: list[AuditRecord] = []
    for record in records.iterator(chunk_size=chunk):
        batch.append(record)
        if len(batch) == chunk:
            yield from (_csv_row(row) for row in rows(batch))
            batch = []
    yield from (_csv_row(row) for row in rows(batch))


def _csv_row(row: Row) -> list:
    record = row.record
    return [
        record.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
        row.who,
        record.get_door_display() if record.door else "",
        record.action,
        record.get_action_display(),
        record.object_kind,
        record.object_id,
        row.firm_kind,
        row.firm_id,
        row.firm_name,
        "; ".join(record.fields or []),
        row.changes_text,
    ]
