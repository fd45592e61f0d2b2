"""The introduction tasks are found like every app's (no CELERY_IMPORTS) and beat runs them."""

from __future__ import annotations


def test_beat_runs_the_autodiscovered_introduction_tasks(settings):
    from config.celery import app

    app.loader.import_default_modules()  # what a worker does at start: autodiscovery
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    for name in (
        "introductions.tasks.expire_introductions",
        "introductions.tasks.send_weekly_digests",
    ):
        assert name in scheduled
        assert name in app.tasks
    assert not hasattr(settings, "CELERY_IMPORTS")
