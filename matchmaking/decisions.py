"""The buyer's shortlist / dismiss decisions.

Decisions live beside the matches, not on them: rescoring replaces matches but never touches a
decision, so a dismissed supplier stays dismissed when the worker runs again.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from manufacturers.models import Requirement
from suppliers.models import Supplier

from .models import MatchDecision


@transaction.atomic
def match_decide(
    *,
    requirement: Requirement,
    supplier: Supplier,
    user: User,
    status: str | None,
) -> MatchDecision | None:
    """Shortlists or dismisses ``supplier`` for ``requirement``; ``status=None`` undoes it.

    Only the requirement's own buyers (and administrators) decide; a second call with the same
    status changes nothing, so a double click or a retried request is harmless.
    """
    if not Requirement.objects.for_user(user).filter(pk=requirement.pk).exists():
        raise PermissionDenied(_("Only the buyer who posted this requirement can decide on it."))
    if status is None:
        MatchDecision.objects.filter(requirement=requirement, supplier=supplier).delete()
        return None
    if status not in MatchDecision.Status.values:
        raise ValidationError({"status": _("Unknown decision.")}, code="invalid")
    decision, _created = MatchDecision.objects.update_or_create(
        requirement=requirement,
        supplier=supplier,
        defaults={"status": status, "decided_by": user, "decided_at": timezone.now()},
    )
    return decision
