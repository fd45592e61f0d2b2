"""The partners app's tasks, where Celery's autodiscovery looks for them."""

from .webhooks.tasks import deliver_webhook, sweep_webhooks

__all__ = ["deliver_webhook", "sweep_webhooks"]
