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
