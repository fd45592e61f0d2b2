"""What the accounts app asks of the apps above it. It does not import them: each connects to
these signals in its ``AppConfig.ready`` and answers for the personal data it keeps (its
``privacy.py``), so a new model with personal data is covered where it is defined."""

from __future__ import annotations

from django.dispatch import Signal

# "Download my data": each receiver returns a list of ``accounts.export.ExportPart`` about the
# person and their firm, never about another person. Argument: ``user``.
personal_data_export = Signal()

# Account deletion, sent inside the erasing transaction before the account itself is
# anonymised: each receiver erases or anonymises the person's data in its app (messages they
# wrote, their membership of a firm, the firm's contact fields that name them). Arguments:
# ``user`` and ``emails`` (every address of the person, lower case).
personal_data_erase = Signal()
