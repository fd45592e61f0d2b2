"""The partner REST API under /api/v1/ (issue 6): a plain package, not a Django app.

Its models (partners, keys, consents) live in ``accounts.api_models``; reads and writes go
through the apps' selectors and services like the browser pages do.
"""
