"""Certificates remind before they lapse (issue 11, item 6): 30 and 7 days before the end date,
once, naming the requirements the firm would drop out of, in the reader's language."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from accounts.models import Notification, OutboxEmail
from accounts.outbox import render_email
from matchmaking import reminders, services
from matchmaking.models import Match
from suppliers import services as supplier_services
from suppliers.models import CertificateReminder, CertificationType, SupplierCertification
from tests.factories import SupplierMemberFactory, UmkmUserFactory
from tests.matching.helpers import make_requirement, make_supplier

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def days(n: int):
    return today() + timedelta(days=n)


@pytest.fixture
def firm():
    """A UMKM whose ISO 9001 ends in 30 days, matched to two requirements that need it and one
    that does not, with an English- and an Indonesian-speaking member."""
    supplier = make_supplier(certs=[("ISO9001", days(30))], legal_name="CV Cetak Plastik Jaya")
    english = SupplierMemberFactory(
        supplier=supplier, user=UmkmUserFactory(preferred_language="en")
    ).user
    indonesian = SupplierMemberFactory(
        supplier=supplier, user=UmkmUserFactory(preferred_language="id"), role="staff"
    ).user
    needs = [
        make_requirement(required=["ISO9001"], title="Battery cell holder", needed_in_days=120),
        make_requirement(required=["ISO9001"], title="Busbar cover", needed_in_days=200),
    ]
    free = make_requirement(title="Cable clip", needed_in_days=120)
    services.score_requirements([r.id for r in [*needs, free]])
    assert Match.objects.filter(supplier=supplier).count() == 3
    certification = supplier.certifications.get()
    return {
        "supplier": supplier,
        "certification": certification,
        "english": english,
        "indonesian": indonesian,
        "needs": needs,
        "free": free,
    }


def emails_to(user) -> list[OutboxEmail]:
    return list(OutboxEmail.objects.filter(user=user, template="certificate_expiring"))


def notices_to(user) -> list[Notification]:
    return list(Notification.objects.filter(user=user, kind__startswith="certificate_expiring"))


def run_daily(day=None) -> None:
    """What the beat task does, in this process: every due certificate, once each."""
    for certification_id in reminders.certificate_reminders_due(today=day):
        reminders.certificate_remind(certification_id=certification_id, today=day)


def test_a_certificate_30_days_out_gets_one_email_and_notice_even_when_run_twice(firm):
    run_daily()
    run_daily()
    run_daily(day=days(1))  # the next day: still the 30-day reminder, already sent
    # The reminder task itself delivered again (a redelivery, a duplicate enqueue).
    assert reminders.certificate_remind(certification_id=firm["certification"].pk) is None
    for user in (firm["english"], firm["indonesian"]):
        assert len(emails_to(user)) == 1
        assert len(notices_to(user)) == 1
    [reminder] = CertificateReminder.objects.all()
    assert (reminder.days_before, reminder.valid_until) == (30, days(30))
    assert reminder.requirements == 2


def test_the_email_names_the_requirements_it_would_drop_out_of_in_english(firm):
    run_daily()
    [email] = emails_to(firm["english"])
    message = render_email(email)
    assert "ISO 9001" in message.subject and firm["supplier"].legal_name in message.subject
    html = message.alternatives[0][0]
    for body in (message.body, html):
        assert "Battery cell holder" in body and "Busbar cover" in body
        assert "Cable clip" not in body  # does not need the certificate
        assert "drops out of these 2 open requirements" in body
        assert "ends in 30 days" in body
    assert f"/suppliers/{firm['supplier'].pk}/edit/certifications/" in message.body
    assert f"/buyers/requirements/{firm['needs'][0].pk}/" in message.body


def test_the_email_and_notice_are_in_indonesian_for_an_indonesian_reader(firm):
    run_daily()
    [email] = emails_to(firm["indonesian"])
    assert email.language == "id"
    message = render_email(email)
    assert "berakhir" in message.subject
    assert "Battery cell holder" in message.body and "Busbar cover" in message.body
    assert "2 kebutuhan terbuka" in message.body
    assert "drops out" not in message.body
    [notice] = notices_to(firm["indonesian"])
    # A notice is written out in the language of the page that shows it (the reader's).
    with translation.override("id"):
        assert "Battery cell holder" in notice.text and "Busbar cover" in notice.text
        assert "Perpanjang" in notice.text
    [english_notice] = notices_to(firm["english"])
    with translation.override("en"):
        assert "drops out of these open requirements" in english_notice.text
        assert "Cable clip" not in english_notice.text


def test_seven_days_out_a_second_reminder_is_sent_once(firm):
    run_daily()
    run_daily(day=days(23))  # the certificate now ends in 7 days
    run_daily(day=days(23))
    run_daily(day=days(25))
    assert len(emails_to(firm["english"])) == 2
    assert len(notices_to(firm["english"])) == 2
    assert sorted(CertificateReminder.objects.values_list("days_before", flat=True)) == [7, 30]
    second = render_email(
        OutboxEmail.objects.filter(user=firm["english"], template="certificate_expiring")
        .order_by("-pk")
        .first()
    )
    assert "ends in 7 days" in second.subject + second.body


def test_nothing_is_sent_before_30_days_nor_after_the_end(firm):
    assert reminders.certificate_reminders_due(today=days(-1)) == []  # 31 days out
    assert reminders.certificate_reminders_due(today=days(31)) == []  # ended yesterday
    assert (
        reminders.certificate_remind(certification_id=firm["certification"].pk, today=days(-5))
        is None
    )
    assert not OutboxEmail.objects.filter(template="certificate_expiring").exists()


def test_a_renewed_certificate_gets_new_reminders(firm):
    run_daily()
    # Renewed for a year: the old end date's reminders do not count for the new one.
    supplier_services.certification_set(
        supplier=firm["supplier"],
        cert_type=CertificationType.objects.get(code="ISO9001"),
        valid_until=days(365),
    )
    assert reminders.certificate_reminders_due() == []
    run_daily(day=days(335))
    assert len(emails_to(firm["english"])) == 2
    assert CertificateReminder.objects.filter(valid_until=days(365), days_before=30).count() == 1


def test_a_renewal_entered_as_a_second_certificate_silences_the_old_one(firm):
    SupplierCertification.objects.create(
        supplier=firm["supplier"], cert_type_id="ISO9001", valid_until=days(400)
    )
    run_daily()
    assert emails_to(firm["english"]) == []
    assert not CertificateReminder.objects.exists()


def test_a_certificate_that_implies_another_keeps_those_requirements(firm):
    # An IATF 16949 certificate (which includes ISO 9001) ending before the ISO 9001 one: its
    # lapse costs only the requirements that need IATF 16949 itself.
    supplier = firm["supplier"]
    iatf_req = make_requirement(required=["IATF16949"], title="Motor housing")
    supplier_services.certification_add(
        supplier=supplier,
        cert_type=CertificationType.objects.get(code="IATF16949"),
        valid_until=days(20),
    )
    services.score_requirement(iatf_req.id)
    assert Match.objects.filter(requirement=iatf_req, supplier=supplier).exists()
    lapse = reminders.certificate_lapse(
        SupplierCertification.objects.get(supplier=supplier, cert_type_id="IATF16949")
    )
    assert lapse.lost == {"IATF16949"}
    assert [r.title for r in lapse.requirements] == ["Motor housing"]
    iso_lapse = reminders.certificate_lapse(firm["certification"])
    assert {r.title for r in iso_lapse.requirements} == {"Battery cell holder", "Busbar cover"}


def test_a_requirement_that_closes_before_the_end_date_is_not_named(firm):
    make_requirement(required=["ISO9001"], title="Short run", needed_in_days=10)
    services.score_requirements(list(Match.objects.values_list("requirement_id", flat=True)))
    titles = {r.title for r in reminders.certificate_lapse(firm["certification"]).requirements}
    assert "Short run" not in titles
    assert titles == {"Battery cell holder", "Busbar cover"}


def test_a_firm_with_nothing_at_risk_is_still_reminded(firm):
    Match.objects.filter(requirement__in=firm["needs"]).delete()
    run_daily()
    [notice] = notices_to(firm["english"])
    assert notice.kind == "certificate_expiring_none"
    body = render_email(emails_to(firm["english"])[0]).body
    assert "No open requirement you match needs it right now" in body


def test_the_database_refuses_a_second_reminder_for_the_same_end_date(firm):
    CertificateReminder.objects.create(
        certification=firm["certification"], days_before=30, valid_until=days(30)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        CertificateReminder.objects.create(
            certification=firm["certification"], days_before=30, valid_until=days(30)
        )
