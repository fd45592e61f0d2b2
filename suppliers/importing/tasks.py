"""The browser import's tasks (registered through ``suppliers.tasks``): they take the job's id
and call ``job_runs``; a task that stops on an error marks its job failed for the page."""

from __future__ import annotations

import logging

from celery import shared_task

from . import job_runs

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, soft_time_limit=540, time_limit=600)
def check_import_job(job_id: int) -> str:
    try:
        job = job_runs.import_job_check(job_id=job_id)
    except Exception:
        job_runs.import_job_fail(job_id=job_id)
        raise
    logger.info("check_import_job %s: %s", job_id, job.status if job else "skipped")
    return job.status if job else "skipped"


@shared_task(acks_late=True, soft_time_limit=540, time_limit=600)
def apply_import_job(job_id: int) -> str:
    try:
        job = job_runs.import_job_apply(job_id=job_id)
    except Exception:
        job_runs.import_job_fail(job_id=job_id)
        raise
    logger.info("apply_import_job %s: %s", job_id, job.status if job else "skipped")
    return job.status if job else "skipped"
