"""What the suppliers app announces. It does not import the apps above it (matchmaking,
introductions, reports, partners): they connect to these signals in their ``AppConfig.ready`` and
decide what a change means for them (matchmaking rescoring, for one)."""

from __future__ import annotations

from django.dispatch import Signal

# One supplier's profile, capabilities or certifications changed (sent inside the writing
# transaction; receivers that enqueue work do it on commit). Argument: ``supplier_id``.
supplier_changed = Signal()

# A bulk write (CSV import, partner batch) saved these suppliers; sent after the commit.
# Argument: ``supplier_ids``.
suppliers_bulk_saved = Signal()
