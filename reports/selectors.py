"""Reads for the reports app's pages; the verification queue's are in ``reports.queue``."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import User
from suppliers.models import VerificationDecision


def can_use_reports(user: User) -> bool:
    # ``is_ministry`` is true for ministry staff and administrators only.
    return bool(user.is_authenticated and user.is_ministry)


def recent_decisions(limit: int = 20) -> QuerySet[VerificationDecision]:
    return VerificationDecision.objects.select_related("decided_by")[:limit]
