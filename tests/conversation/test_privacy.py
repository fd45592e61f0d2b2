"""A person's messages in "download my data" and on account deletion: their own messages are
in their archive (never the other firm's), and deleting the account removes what they wrote and
sent while the counts stay."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.export import personal_data_parts
from accounts.privacy import user_erase
from introductions.conversation import selectors, services
from introductions.models import Message, MessageAttachment
from tests.factories import TINY_PDF

pytestmark = pytest.mark.django_db


def send(introduction, user, body, files=()):
    return services.message_send(introduction=introduction, by=user, body=body, files=files)


def test_the_archive_holds_the_persons_own_messages_only(pair, accepted):
    send(accepted, pair.umkm, "Our price is 12,500", [SimpleUploadedFile("quote.pdf", TINY_PDF)])
    send(accepted, pair.buyer, "Thanks, Rina here")

    parts = {part.name: part for part in personal_data_parts(pair.umkm)}
    [row] = parts["conversation_messages"].rows
    assert row["message"] == "Our price is 12,500" and row["files"] == "quote.pdf"
    [(name, file)] = parts["conversation_messages"].files
    assert name.endswith("-quote.pdf") and file.read() == TINY_PDF
    assert "Thanks, Rina here" not in str([p.rows for p in parts.values()])


def test_deleting_the_account_removes_the_texts_and_files_and_keeps_the_counts(pair, accepted):
    message = send(
        accepted, pair.umkm, "Call me on 0812 1111 2222", [SimpleUploadedFile("ktp.pdf", TINY_PDF)]
    )
    stored = message.attachments.get().file
    storage, name = stored.storage, stored.name
    answer = send(accepted, pair.buyer, "Will do")

    user_erase(user=pair.umkm)

    message.refresh_from_db()
    assert message.body == "" and not MessageAttachment.objects.exists()
    assert not storage.exists(name)
    assert Message.objects.get(pk=answer.pk).body == "Will do"  # the other person's stays
    [row] = selectors.conversation_overview()
    assert (row.messages_from_buyer, row.messages_from_supplier) == (1, 1)
