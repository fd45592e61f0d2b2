"""What the manufacturers app announces; the apps above it (matchmaking, ...) connect in their
``AppConfig.ready``, so manufacturers never imports them."""

from __future__ import annotations

from django.dispatch import Signal

# A requirement was published, edited or closed (sent inside the writing transaction; receivers
# that enqueue work do it on commit). Argument: ``requirement_id``.
requirement_changed = Signal()
