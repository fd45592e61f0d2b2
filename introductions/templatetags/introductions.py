"""Introduction panels for the other apps' pages: the dashboards load this library rather than
their views importing introductions, which sits above them."""

from __future__ import annotations

from django import template

from introductions import selectors

register = template.Library()


@register.inclusion_tag("introductions/_waiting_for_answer.html", takes_context=True)
def waiting_for_answer(context: template.Context) -> dict:
    """The "waiting for your answer" notice, shown first on the UMKM's and the buyer's dashboard."""
    user = context["user"]
    return {"user": user, "waiting": selectors.waiting_for_answer(user)}


@register.inclusion_tag("introductions/_quotation_panel.html", takes_context=True)
def quotation_panel(context: template.Context, introduction) -> dict:
    """The introduction page's quotation section: send or revise (the UMKM), open and compare
    (the buyer); nothing for anyone else."""
    from introductions.quotations import access

    user = context["user"]
    supplier_side = user.is_umkm and selectors.is_supplier_side(user, introduction)
    buyer_side = access.is_buyer_member(user, introduction.requirement)
    quotation = access.quotation_of(introduction) if supplier_side or buyer_side else None
    return {
        "introduction": introduction,
        "quotation": quotation,
        "supplier_side": supplier_side,
        "buyer_side": buyer_side,
        "can_submit": supplier_side
        and access.can_submit(user, introduction)
        and (quotation is None or quotation.status in (*access.LIVE, "withdrawn")),
    }


@register.inclusion_tag("introductions/_quotations_link.html", takes_context=True)
def quotations_link(context: template.Context, requirement) -> dict:
    """The requirement page's link to the comparison, with the number of quotations."""
    from introductions.quotations import access

    user = context["user"]
    if requirement.is_draft or not access.is_buyer_member(user, requirement):
        return {"show": False}
    return {
        "show": True,
        "requirement": requirement,
        "count": access.quotations_for_requirement(requirement).exclude(status="withdrawn").count(),
    }
