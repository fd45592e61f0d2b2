import pytest

from introductions import services as intro
from tests.introductions.factories import make_pair


@pytest.fixture(scope="session", autouse=True)
def _reference_data_present(django_db_setup, django_db_blocker):
    # A reused test database may have been flushed by an earlier run's transactional tests
    # (worker, browser), which removes what the data migration loaded; put it back once.
    from django.apps import apps

    from suppliers.models import Province
    from suppliers.reference_loader import load_reference_data

    with django_db_blocker.unblock():
        if not Province.objects.exists():
            load_reference_data(apps)


@pytest.fixture
def pair(db):
    return make_pair()


@pytest.fixture
def accepted(pair):
    introduction = intro.introduction_request(
        requirement=pair.requirement, supplier=pair.supplier, by=pair.buyer, message="Hello"
    )
    return intro.introduction_accept(introduction=introduction, by=pair.umkm)
