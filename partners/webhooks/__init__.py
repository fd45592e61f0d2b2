"""Partner webhooks: endpoints, the fan-out of ``accounts.events``, signed deliveries with
retries (docs/webhooks.md)."""
