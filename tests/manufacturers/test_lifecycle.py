"""draft -> open -> closed (awarded / cancelled / expired), enforced by the services."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from manufacturers import services
from manufacturers.models import Requirement
from manufacturers.tasks import expire_requirements
from suppliers.models import Process
from tests.factories import RequirementFactory

pytestmark = pytest.mark.django_db


def test_a_verified_buyer_publishes_a_draft(requirement, owner):
    published = services.requirement_publish(requirement=requirement, by=owner)
    assert published.status == Requirement.Status.OPEN
    assert published.published_at is not None


def test_an_unverified_buyer_cannot_publish(requirement, owner):
    requirement.manufacturer.verification_status = "unverified"
    requirement.manufacturer.save()
    with pytest.raises(ValidationError) as excinfo:
        services.requirement_publish(requirement=requirement, by=owner)
    assert excinfo.value.code == "unverified"
    assert "not been verified" in excinfo.value.messages[0]
    requirement.refresh_from_db()
    assert requirement.is_draft


def test_a_rejected_buyer_cannot_publish(requirement, owner):
    requirement.manufacturer.verification_status = "rejected"
    requirement.manufacturer.verification_reason = "NPWP does not exist"
    requirement.manufacturer.save()
    with pytest.raises(ValidationError):
        services.requirement_publish(requirement=requirement, by=owner)


def test_a_draft_whose_date_has_passed_cannot_be_published(requirement, owner):
    Requirement.objects.filter(pk=requirement.pk).update(
        needed_by=timezone.localdate() - timedelta(days=1)
    )
    with pytest.raises(ValidationError) as excinfo:
        services.requirement_publish(requirement=requirement, by=owner)
    assert "needed_by" in excinfo.value.message_dict


@pytest.mark.parametrize(
    ("status", "close_reason", "message"),
    [("open", "", "already open"), ("closed", "awarded", "cannot be published again")],
)
def test_publishing_twice_or_after_closing_is_refused(manufacturer, status, close_reason, message):
    requirement = RequirementFactory(
        manufacturer=manufacturer, status=status, close_reason=close_reason
    )
    with pytest.raises(ValidationError) as excinfo:
        services.requirement_publish(requirement=requirement, by=None)
    assert message in excinfo.value.messages[0]


@pytest.mark.parametrize("reason", ["awarded", "cancelled"])
def test_an_open_requirement_closes_with_a_reason(requirement, owner, reason):
    services.requirement_publish(requirement=requirement, by=owner)
    closed = services.requirement_close(requirement=requirement, by=owner, reason=reason)
    assert closed.status == "closed" and closed.close_reason == reason and closed.closed_at


def test_a_draft_cannot_be_closed_and_a_closed_one_not_again(requirement, owner):
    with pytest.raises(ValidationError) as excinfo:
        services.requirement_close(requirement=requirement, by=owner, reason="cancelled")
    assert "still a draft" in excinfo.value.messages[0]
    services.requirement_publish(requirement=requirement, by=owner)
    services.requirement_close(requirement=requirement, by=owner, reason="awarded")
    with pytest.raises(ValidationError) as excinfo:
        services.requirement_close(requirement=requirement, by=owner, reason="cancelled")
    assert "already closed" in excinfo.value.messages[0]


def test_closing_needs_a_known_reason(requirement, owner):
    services.requirement_publish(requirement=requirement, by=owner)
    with pytest.raises(ValidationError):
        services.requirement_close(requirement=requirement, by=owner, reason="bored")


def test_a_closed_requirement_cannot_be_edited(requirement, owner):
    services.requirement_publish(requirement=requirement, by=owner)
    services.requirement_close(requirement=requirement, by=owner, reason="cancelled")
    with pytest.raises(ValidationError) as excinfo:
        services.requirement_update(requirement=requirement, changed_by=owner, data={"title": "x"})
    assert excinfo.value.code == "closed"


def test_the_database_refuses_a_close_reason_on_an_open_requirement(requirement):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Requirement.objects.filter(pk=requirement.pk).update(status="open", close_reason="awarded")


def test_editing_an_open_requirement_records_what_changed(requirement, owner):
    services.requirement_publish(requirement=requirement, by=owner)
    services.requirement_update(
        requirement=requirement,
        changed_by=owner,
        data={
            "annual_volume": 80_000,
            "title": requirement.title,
            "processes": list(Process.objects.filter(code__in=["INJ_MOULD", "ASSEMBLY"])),
        },
    )
    (revision,) = requirement.revisions.all()
    assert revision.changed_by == owner
    assert revision.changes == {
        "annual_volume": [50_000, 80_000],
        "processes": [["INJ_MOULD"], ["ASSEMBLY", "INJ_MOULD"]],
    }


def test_saving_an_open_requirement_without_changes_records_nothing(requirement, owner):
    services.requirement_publish(requirement=requirement, by=owner)
    services.requirement_update(
        requirement=requirement, changed_by=owner, data={"title": requirement.title}
    )
    assert requirement.revisions.count() == 0


def test_editing_a_draft_keeps_no_history(requirement, owner):
    services.requirement_update(requirement=requirement, changed_by=owner, data={"title": "New"})
    assert requirement.revisions.count() == 0


def test_the_daily_task_expires_open_requirements_past_their_date(manufacturer):
    today = timezone.localdate()
    overdue = RequirementFactory(manufacturer=manufacturer, status="open")
    due_today = RequirementFactory(manufacturer=manufacturer, status="open", needed_by=today)
    draft = RequirementFactory(manufacturer=manufacturer, status="draft")
    Requirement.objects.filter(pk__in=[overdue.pk, draft.pk]).update(
        needed_by=today - timedelta(days=1)
    )

    assert expire_requirements() == 1

    overdue.refresh_from_db()
    due_today.refresh_from_db()
    draft.refresh_from_db()
    assert (overdue.status, overdue.close_reason) == ("closed", "expired")
    assert overdue.closed_at is not None
    assert due_today.is_open
    assert draft.is_draft
    assert expire_requirements() == 0


def test_the_expiry_task_is_on_the_beat_schedule(settings):
    entries = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "manufacturers.tasks.expire_requirements" in entries
