"""Plain-language explanation of a match, in the active language (English source strings).

Built only from ``Match.facts`` and ``Match.components`` (stored with the match), so explaining a
list of matches needs no further queries beyond one cached lookup of certification names.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from suppliers.models import CertificationType

from .engine import WEIGHTS
from .models import Match

COMPONENT_LABELS = {
    "process": gettext_lazy("Processes"),
    "component": gettext_lazy("Component category"),
    "material": gettext_lazy("Materials"),
    "certification": gettext_lazy("Nice-to-have certifications"),
    "capacity": gettext_lazy("Capacity"),
    "lead_time": gettext_lazy("Lead time"),
    "distance": gettext_lazy("Distance"),
    "text": gettext_lazy("Description"),
    "verified": gettext_lazy("Verification"),
}

TEXT_SIMILAR = 0.3


def _cert_names() -> dict[str, str]:
    return dict(CertificationType.objects.values_list("code", "name"))


def _month(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%Y-%m")


def explain(match: Match, cert_names: dict[str, str] | None = None) -> list[str]:
    """Short phrases, most important first: "does 2 of 3 required processes", ..."""
    facts = match.facts or {}
    names = cert_names if cert_names is not None else _cert_names()
    out: list[str] = []

    processes = facts.get("processes") or {}
    required = len(processes.get("required", []))
    if required:
        covered = len(processes.get("covered", []))
        out.append(
            ngettext(
                "does %(covered)d of %(required)d required process",
                "does %(covered)d of %(required)d required processes",
                required,
            )
            % {"covered": covered, "required": required}
        )

    level = (facts.get("component") or {}).get("level", 0)
    if level == 3:
        out.append(_("makes this kind of part"))
    elif level == 2:
        out.append(_("makes parts of the same subsystem"))
    elif level == 1:
        out.append(_("makes parts of the same system"))

    materials = facts.get("materials") or {}
    wanted = len(materials.get("required", []))
    if wanted:
        out.append(
            ngettext(
                "works with %(covered)d of %(required)d material",
                "works with %(covered)d of %(required)d materials",
                wanted,
            )
            % {"covered": len(materials.get("covered", [])), "required": wanted}
        )

    for cert in facts.get("certifications", []):
        name = names.get(cert["code"], cert["code"])
        if cert.get("valid_until"):
            out.append(
                _("%(name)s valid until %(month)s")
                % {"name": name, "month": _month(cert["valid_until"])}
            )
        else:
            out.append(_("%(name)s (no end date)") % {"name": name})

    capacity = facts.get("capacity") or {}
    if capacity.get("ratio") is None:
        out.append(_("monthly capacity not given"))
    else:
        out.append(
            _("covers %(percent)d%% of monthly volume")
            % {"percent": round(capacity["ratio"] * 100)}
        )

    lead = facts.get("lead_time") or {}
    if lead.get("slack_days") is None:
        out.append(_("lead time not given"))
    elif lead["slack_days"] >= 0:
        out.append(_("can deliver by the needed-by date"))
    else:
        late = -lead["slack_days"]
        out.append(
            ngettext(
                "%(days)d day late for the needed-by date",
                "%(days)d days late for the needed-by date",
                late,
            )
            % {"days": late}
        )

    distance = facts.get("distance") or {}
    kind = distance.get("class")
    if kind == "same_province":
        out.append(_("same province"))
    elif kind == "same_island":
        out.append(_("same island group"))
    elif kind == "elsewhere":
        out.append(_("%(km)s km away") % {"km": distance.get("km")})
    else:
        out.append(_("location not given"))

    if (facts.get("text") or 0) >= TEXT_SIMILAR:
        out.append(_("similar description"))
    out.append(_("verified company") if facts.get("verified") else _("not yet verified"))
    return out


def explain_components(match: Match) -> list[dict]:
    """One row per score component: label, value 0..1, weight and points (value x weight)."""
    rows = []
    for key, weight in WEIGHTS.items():
        value = float((match.components or {}).get(key, 0.0))
        rows.append(
            {
                "key": key,
                "label": str(COMPONENT_LABELS[key]),
                "value": value,
                "weight": weight,
                "points": round(value * weight, 1),
            }
        )
    return rows
