"""Plain-language explanation of a match, in the active language (English source strings).

Built only from ``Match.facts`` and ``Match.components`` (stored with the match), so explaining a
list of matches needs no further queries beyond one lookup of the names (``names()``, once per
request). What fits comes first, then what is missing or failing (``Line.gap``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from suppliers.models import CertificationType, Material, Process

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
    "local_content": gettext_lazy("Local content (TKDN)"),
}

TEXT_SIMILAR = 0.3


class Line(str):
    """One phrase of an explanation; ``gap`` marks what is missing or failing."""

    gap: bool = False


def _gap(text: str) -> Line:
    line = Line(text)
    line.gap = True
    return line


@dataclass(frozen=True)
class Names:
    """Names of the codes an explanation mentions, in the active language."""

    certifications: dict[str, str]
    processes: dict[str, str] = field(default_factory=dict)
    materials: dict[str, str] = field(default_factory=dict)
    implies: dict[str, str] = field(default_factory=dict)  # IATF16949 -> ISO9001


def names() -> Names:
    """Three small queries; call once per request, not per match."""
    return Names(
        certifications=dict(CertificationType.objects.values_list("code", "name")),
        processes={p.code: p.name for p in Process.objects.all()},
        materials={m.code: m.name for m in Material.objects.all()},
        implies=dict(
            CertificationType.objects.filter(implies__isnull=False).values_list(
                "code", "implies_id"
            )
        ),
    )


def _month(iso: str) -> str:
    return formats.date_format(date.fromisoformat(iso), "YEAR_MONTH_FORMAT")


def _listing(codes: list[str], lookup: dict[str, str]) -> str:
    return ", ".join(lookup.get(code, code) for code in codes)


def _certification_lines(facts: dict, lookup: Names) -> list[str]:
    """One line per wanted certification held; one the firm holds only through a wider one is
    named through it ("IATF 16949, which includes ISO 9001"), never as if held itself."""
    held = facts.get("certifications", [])
    by_code = {cert["code"]: cert for cert in held}
    certs = lookup.certifications
    includes: dict[str, list[str]] = {}
    out: list[str] = []
    lines: list[tuple[str, dict]] = []
    for cert in held:
        via = cert.get("via")
        if not via:
            # Matches scored before "via" was recorded: same end date, one certificate.
            via = next(
                (
                    other["code"]
                    for other in held
                    if lookup.implies.get(other["code"]) == cert["code"]
                    and other.get("valid_until") == cert.get("valid_until")
                ),
                None,
            )
        if via and via in by_code:
            includes.setdefault(via, []).append(cert["code"])
            continue
        name = certs.get(cert["code"], cert["code"])
        if via:
            name = _("%(holder)s, which includes %(name)s") % {
                "holder": certs.get(via, via),
                "name": name,
            }
        lines.append((name, cert))
    for name, cert in lines:
        if cert["code"] in includes:
            name = _("%(holder)s, which includes %(name)s") % {
                "holder": name,
                "name": _listing(includes[cert["code"]], certs),
            }
        if cert.get("valid_until"):
            out.append(
                _("%(name)s valid until %(month)s")
                % {"name": name, "month": _month(cert["valid_until"])}
            )
        else:
            out.append(_("%(name)s (no end date)") % {"name": name})
    return out


def percent(value: float | int) -> str:
    """A percentage as people write it: 45, or 45,5 in Indonesian."""
    value = round(float(value), 2)
    return formats.number_format(int(value) if value.is_integer() else value)


def _local_content_line(facts: dict) -> Line | None:
    """ "TKDN 45% ≥ 40% asked" when the firm reaches the buyer's minimum, otherwise a gap."""
    local = facts.get("local_content") or {}
    minimum = local.get("min")
    if minimum is None:
        return None
    pct = local.get("pct")
    if pct is None:
        return _gap(_("no TKDN certificate; buyer asks %(min)s%%") % {"min": percent(minimum)})
    values = {"pct": percent(pct), "min": percent(minimum)}
    if pct >= minimum:
        return Line(_("TKDN %(pct)s%% ≥ %(min)s%% asked") % values)
    return _gap(_("TKDN %(pct)s%%, below the %(min)s%% asked") % values)


def explain(match: Match, cert_names: dict[str, str] | Names | None = None) -> list[str]:
    """Short phrases, most important first: what fits ("does 2 of 3 required processes"), then
    what is missing or failing ("no IATF 16949", "lead time 10 days late"), as ``Line``s."""
    facts = match.facts or {}
    if isinstance(cert_names, Names):
        lookup = cert_names
    else:
        lookup = names()
        if cert_names is not None:
            lookup = replace(lookup, certifications=cert_names)
    out: list[str] = []
    gaps: list[str] = []

    processes = facts.get("processes") or {}
    required = len(processes.get("required", []))
    if required:
        covered = processes.get("covered", [])
        out.append(
            ngettext(
                "does %(covered)d of %(required)d required process",
                "does %(covered)d of %(required)d required processes",
                required,
            )
            % {"covered": len(covered), "required": required}
        )
        lacking = [code for code in processes.get("required", []) if code not in covered]
        if lacking:
            gaps.append(
                _("does not do %(processes)s") % {"processes": _listing(lacking, lookup.processes)}
            )

    level = (facts.get("component") or {}).get("level", 0)
    if level == 3:
        out.append(_("makes this kind of part"))
    elif level == 2:
        out.append(_("makes parts of the same subsystem"))
    elif level == 1:
        out.append(_("makes parts of the same system"))
    else:
        gaps.append(_("makes no parts of this system yet"))

    materials = facts.get("materials") or {}
    wanted = len(materials.get("required", []))
    if wanted:
        covered = materials.get("covered", [])
        out.append(
            ngettext(
                "works with %(covered)d of %(required)d material",
                "works with %(covered)d of %(required)d materials",
                wanted,
            )
            % {"covered": len(covered), "required": wanted}
        )
        lacking = [code for code in materials.get("required", []) if code not in covered]
        if lacking:
            gaps.append(
                _("does not work with %(materials)s")
                % {"materials": _listing(lacking, lookup.materials)}
            )

    out.extend(_certification_lines(facts, lookup))
    if "missing_certifications" in facts:
        for cert in facts["missing_certifications"]:
            gaps.append(
                _("no %(name)s") % {"name": lookup.certifications.get(cert["code"], cert["code"])}
            )
    else:
        preferred = facts.get("preferred") or {}
        short = int(preferred.get("wanted", 0)) - int(preferred.get("held", 0))
        if short > 0:
            gaps.append(
                ngettext(
                    "lacks %(count)d nice-to-have certification",
                    "lacks %(count)d nice-to-have certifications",
                    short,
                )
                % {"count": short}
            )

    capacity = facts.get("capacity") or {}
    if capacity.get("ratio") is None:
        gaps.append(_("monthly capacity not given"))
    else:
        percent = round(capacity["ratio"] * 100)
        if capacity["ratio"] < 1:
            gaps.append(
                _("capacity below the annual volume: covers %(percent)d%% of monthly volume")
                % {"percent": percent}
            )
        else:
            out.append(_("covers %(percent)d%% of monthly volume") % {"percent": percent})

    lead = facts.get("lead_time") or {}
    if lead.get("slack_days") is None:
        gaps.append(_("lead time not given"))
    elif lead["slack_days"] >= 0:
        out.append(_("can deliver by the needed-by date"))
    else:
        late = -lead["slack_days"]
        gaps.append(
            ngettext(
                "lead time %(days)d day late for the needed-by date",
                "lead time %(days)d days late for the needed-by date",
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
        out.append(_("%(km)s km away") % {"km": formats.number_format(distance.get("km") or 0)})
    else:
        gaps.append(_("location not given"))

    if (facts.get("text") or 0) >= TEXT_SIMILAR:
        out.append(_("similar description"))
    local = _local_content_line(facts)
    if local is not None:
        (gaps if local.gap else out).append(str(local))
    if facts.get("verified"):
        out.append(_("verified company"))
    else:
        gaps.append(_("not yet verified"))
    return [Line(text) for text in out] + [_gap(text) for text in gaps]


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
