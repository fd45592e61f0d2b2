"""The test database for the processes a test starts (a Celery worker, a manage.py command)."""

from __future__ import annotations

import os
from urllib.parse import quote, urlsplit

from django.db import connection


def database_url() -> str:
    """``DATABASE_URL`` naming the test's database: the server of the run's ``DATABASE_URL``
    (its host, a socket directory for the embedded server, and options kept as they are) with
    the name pytest-django gave the test database."""
    url = urlsplit(os.environ["DATABASE_URL"])
    return url._replace(path="/" + quote(connection.settings_dict["NAME"])).geturl()
