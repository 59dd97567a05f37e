"""Nobody can lock the owner out; proxies are believed only when trusted; headers; uploads by content."""

from __future__ import annotations

import ipaddress

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from restons.models import Person
from restons.web.client import client_address
from tests.web.conftest import finish_import

pytestmark = pytest.mark.django_db
PROXY = [ipaddress.ip_network("10.0.0.5/32"), ipaddress.ip_network("fd00::/8")]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _login(client, password, **headers):
    return client.post("/login/", {"login": "alice@example.org", "password": password}, **headers)


# -- throttling ------------------------------------------------------------------------


def test_a_strangers_five_failures_do_not_stop_the_owners_login_from_another_address(alice):
    """GIVEN five failed logins for alice from 203.0.113.9 WHEN alice logs in from 198.51.100.7
    THEN she is in; the stranger's address stays locked out, even with the right password."""
    stranger = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(5):
        assert _login(stranger, "wrong").status_code == 200
    assert _login(stranger, "password").status_code == 429

    owner = Client(REMOTE_ADDR="198.51.100.7")
    response = _login(owner, "password")
    assert response.status_code == 302 and response.url == "/"
    assert owner.get("/").status_code == 200


def test_behind_a_trusted_proxy_each_visitor_is_throttled_on_their_own_address(alice, settings):
    """GIVEN a trusted proxy at 10.0.0.5 WHEN a stranger fails five times through it THEN the owner,
    also through the proxy but from another address, still logs in."""
    settings.TRUSTED_PROXIES = PROXY
    stranger = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.9")
    for _ in range(5):
        _login(stranger, "wrong")
    assert _login(stranger, "password").status_code == 429
    owner = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert _login(owner, "password").status_code == 302


def test_a_forged_forwarded_for_from_an_untrusted_peer_does_not_escape_the_lockout(alice, settings):
    """GIVEN no trusted proxy WHEN a stranger changes X-Forwarded-For at each try THEN all count for its address."""
    settings.TRUSTED_PROXIES = PROXY
    for n in range(5):
        _login(Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}"), "wrong")
    assert _login(Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="192.0.2.99"), "password").status_code == 429


def test_too_many_failures_from_one_address_are_refused_whatever_the_email(alice, bob):
    stranger = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(10):
        stranger.post("/login/", {"login": f"guess{n}@example.org", "password": "wrong"})
    response = stranger.post("/login/", {"login": "bob@example.org", "password": "password"})
    assert response.status_code == 429


# -- the client's address ----------------------------------------------------------------


@pytest.mark.parametrize(("peer", "forwarded", "expected"), [
    ("203.0.113.9", "", "203.0.113.9"),  # no proxy
    ("203.0.113.9", "192.0.2.1", "203.0.113.9"),  # an untrusted peer's X-Forwarded-For is ignored
    ("10.0.0.5", "198.51.100.7", "198.51.100.7"),  # the trusted proxy says who it saw
    ("10.0.0.5", "192.0.2.1, 198.51.100.7", "198.51.100.7"),  # the client's own entry (left) proves nothing
    ("10.0.0.5", "198.51.100.7, fd00::2", "198.51.100.7"),  # two trusted proxies in a row
    ("10.0.0.5", "fd00::3, fd00::2", "fd00::3"),  # nothing but proxies: the farthest one
    ("10.0.0.5", "198.51.100.7, not-an-address", "10.0.0.5"),  # malformed: stop at the last trusted hop
    ("10.0.0.5", "", "10.0.0.5"),
])
def test_the_client_is_the_right_most_untrusted_forwarded_address(peer, forwarded, expected):
    assert client_address(peer, forwarded, PROXY) == expected


def test_forwarded_headers_from_an_untrusted_peer_are_removed_before_anything_reads_them(alice_client, settings):
    """X-Forwarded-Proto from anyone but a trusted proxy cannot make a plain request look like HTTPS."""
    from restons.web.client import TrustedProxyMiddleware

    seen = {}

    def view(request):
        seen.update(request.META)
        from django.http import HttpResponse

        return HttpResponse()

    from django.test import RequestFactory

    settings.TRUSTED_PROXIES = PROXY
    middleware = TrustedProxyMiddleware(view)
    middleware(RequestFactory().get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_PROTO="https",
                                    HTTP_X_FORWARDED_FOR="192.0.2.1"))
    assert "HTTP_X_FORWARDED_PROTO" not in seen and "HTTP_X_FORWARDED_FOR" not in seen
    middleware(RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_PROTO="https",
                                    HTTP_X_FORWARDED_FOR="192.0.2.1"))
    assert seen["HTTP_X_FORWARDED_PROTO"] == "https" and seen["HTTP_X_FORWARDED_FOR"] == "192.0.2.1"


def test_a_sessions_address_is_the_client_behind_the_trusted_proxy(alice, settings):
    from allauth.usersessions.models import UserSession

    settings.TRUSTED_PROXIES = PROXY
    client = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert _login(client, "password").status_code == 302
    assert list(UserSession.objects.filter(user=alice).values_list("ip", flat=True)) == ["198.51.100.7"]


# -- headers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/", "/login/", "/settings/", "/accounts/2fa/"])
def test_every_page_sends_the_security_headers(alice_client, url):
    response = alice_client.get(url, follow=True)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp.split("style-src-attr")[0]
    assert "unsafe-eval" not in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Permissions-Policy"].startswith("camera=()")
    assert response.headers["X-Frame-Options"] == "DENY"


def test_no_page_carries_an_inline_script(alice_client, camille):
    import re

    for url in ("/", "/people/", f"/people/{camille.id}/", "/settings/", "/accounts/2fa/", "/accounts/sessions/",
                "/accounts/email/", "/import/", "/stats/"):
        page = alice_client.get(url).content.decode()
        for tag in re.findall(r"<script\b[^>]*>", page):
            assert "src=" in tag or 'type="application/json"' in tag, (url, tag)
        assert not re.search(r"\son[a-z]+=\"", page), url


# -- uploads -----------------------------------------------------------------------------------


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64


@pytest.mark.parametrize(("source", "name", "content", "message"), [
    ("vcard", "contacts.vcf", PNG, "contacts.vcf: no BEGIN:VCARD line in it; expected a vCard file (.vcf) of contacts"),
    ("google-csv", "contacts.csv", b"PK\x03\x04" + b"\x00" * 40,
     "contacts.csv: no header row with First Name, Last Name in its first lines; expected a Google Contacts CSV export"),
    ("vcard", "contacts.vcf", b"Name,Email\nAna,ana@example.org\n", "contacts.vcf: no BEGIN:VCARD line in it"),
    ("outlook-csv", "contacts.csv", b"%PDF-1.7\n\x00\x01", "expected an Outlook CSV export"),
])
def test_an_upload_is_refused_by_its_content_not_its_name(alice_client, alice, source, name, content, message):
    response = finish_import(alice_client, alice_client.post(
        "/import/", {"source": source, "file": SimpleUploadedFile(name, content)}))
    assert response.context["job"].status == "failed"
    assert message in response.content.decode()
    assert not Person.objects.filter(owner=alice).exists()


@pytest.mark.parametrize(("source", "content"), [
    ("vcard", b"\xef\xbb\xbf\r\n BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Lima\r\nEMAIL:ana@example.org\r\nEND:VCARD\r\n"),
    ("google-csv", "\ufeffName,E-mail 1 - Value\nAna Lima,ana@example.org\n".encode("utf-16")),
    ("outlook-csv", "First Name,Last Name,E-mail Address\nAnaïs,Lima,ana@example.org\n".encode("cp1252")),
])
def test_files_of_the_right_kind_pass_whatever_their_name_and_encoding(alice_client, alice, source, content):
    response = finish_import(alice_client, alice_client.post(
        "/import/", {"source": source, "file": SimpleUploadedFile("export.dat", content)}))
    assert response.context["job"].status == "done", response.content.decode()[:500]
    assert Person.objects.filter(owner=alice).count() == 1
