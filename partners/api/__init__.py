"""The partner REST API under /api/v1/ (issue 6), the outward face of the partners app.

Its models (partners, keys, consents) live in ``partners.models``; reads and writes go
through the apps' selectors and services like the browser pages do.
"""
