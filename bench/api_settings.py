"""Settings for the API benchmark's gunicorn: the project's own, plus the baseline's URL."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.api_urls"
