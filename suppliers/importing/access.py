"""Who may import UMKM lists in the browser: ministry staff (and administrators), and whoever an
app above this one admits. The partners app admits members of an active industry association
(``partners.apps``): suppliers may not import partners, so partners adds its rule here."""

from __future__ import annotations

from collections.abc import Callable

from accounts.models import User

IMPORT_ACCESS: list[Callable[[User], bool]] = []

# Called as ``hook(user, supplier_ids)`` inside the transaction that created those firms from a
# browser import by ``user``: an association keeps managing the UMKM it brought in, as if it had
# created them through the partner API (``partners.apps`` adds that rule).
IMPORT_CREATED: list[Callable[[User, list[int]], None]] = []


def can_import(user: User) -> bool:
    if not user or not user.is_authenticated or not user.is_active:
        return False
    if user.is_ministry:
        return True
    return any(rule(user) for rule in IMPORT_ACCESS)
