"""The Content-Security-Policy: on every response, strict (everything from this site, no inline
script or style), and no template served as a page needs more. The real browser check of the
pages is tests/browser/test_csp.py; tests/test_crawl.py checks the header on every page it
reaches."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import AdminUserFactory, MinistryUserFactory

ROOT = Path(__file__).resolve().parents[1]

EXPECTED = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = [part.split() for part in header.split(";") if part.strip()]
    return {name: values for name, *values in directives}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path,user",
    [
        ("/", None),
        ("/accounts/login/", None),
        ("/suppliers/", None),
        ("/no-such-page/", None),
        ("/reports/", "ministry"),
        ("/admin/", "admin"),
        ("/admin/suppliers/supplier/add/", "admin"),
        ("/api/v1/docs/", None),
        ("/api/v1/docs/?script=", None),
        ("/api/v1/schema/", None),
        ("/api/v1/suppliers/", None),
    ],
)
def test_every_response_carries_the_strict_policy(client, path, user):
    if user == "ministry":
        client.force_login(MinistryUserFactory())
    elif user == "admin":
        client.force_login(AdminUserFactory())

    response = client.get(path)

    assert policy(response) == EXPECTED


@pytest.mark.django_db
def test_the_api_docs_load_their_script_from_the_site_not_inline(client):
    page = client.get("/api/v1/docs/").content.decode()
    script = client.get("/api/v1/docs/?script=")

    assert '<script src="/api/v1/docs/?script="></script>' in page
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert "<style" not in page
    assert script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in script.content


@pytest.mark.django_db
def test_only_the_browsable_api_may_use_inline_style(client):
    client.force_login(MinistryUserFactory())

    browsable = client.get("/api/v1/reference/provinces/", headers={"accept": "text/html"})
    as_json = client.get("/api/v1/reference/provinces/", headers={"accept": "application/json"})

    assert browsable["Content-Type"].startswith("text/html")
    assert policy(browsable) == {**EXPECTED, "style-src": ["'self'", "'unsafe-inline'"]}
    assert policy(as_json) == EXPECTED


def test_the_report_uri_is_optional_and_set_from_the_environment():
    from tests.test_deploy import manage, production_env

    assert "report-uri" not in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    result = manage(
        "shell",
        "-c",
        "from csp.utils import build_policy; print(build_policy())",
        env=production_env(CSP_REPORT_URI="https://csp.example.id/report"),
    )
    assert result.returncode == 0, result.stderr
    assert "report-uri https://csp.example.id/report" in result.stdout
    assert "script-src 'self'" in result.stdout


# E-mails are not served as web pages (and mail programs want inline style).
def _page_templates() -> list[Path]:
    folders = [ROOT / "templates", *ROOT.glob("*/templates")]
    return sorted(
        path
        for folder in folders
        for path in folder.rglob("*.html")
        if not any(part.startswith("email") for part in path.relative_to(folder).parts)
    )


INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(ld\+)?json\")[^>]*>"  # inline script
    r"|<style\b"  # style element
    r"|\sstyle=[\"']"  # style attribute
    r"|\son[a-z]+=[\"']"  # event handler attribute
    r"|javascript:"  # script URL
    r"|\shx-on[:-]",  # htmx's inline handlers (evaluated code; eval is off)
    re.IGNORECASE,
)


def test_no_page_template_has_inline_script_or_style():
    templates = _page_templates()
    found = [
        f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, match.start()) + 1}: {match.group()}"
        for path in templates
        for text in [path.read_text(encoding="utf-8")]
        for match in INLINE.finditer(text)
    ]

    assert len(templates) > 50
    assert found == []
