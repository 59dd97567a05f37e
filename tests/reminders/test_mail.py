"""RESTONS_EMAIL_URL: how each form becomes Django's email settings, and STARTTLS and SMTPS for real."""

from __future__ import annotations

import shutil
import ssl
import subprocess

import pytest

from restons import conf, mail

from .conftest import Mailbox, free_port, use_mail_url


@pytest.mark.parametrize("url, expected", [
    ("smtp://me%40example.org:p%3Ass@mail.example.org:587",
     {"EMAIL_HOST": "mail.example.org", "EMAIL_PORT": 587, "EMAIL_HOST_USER": "me@example.org",
      "EMAIL_HOST_PASSWORD": "p:ss", "EMAIL_USE_TLS": True, "EMAIL_USE_SSL": False}),
    ("smtp://mail.example.org", {"EMAIL_PORT": 587, "EMAIL_USE_TLS": True, "EMAIL_HOST_USER": ""}),
    ("smtp://localhost:25?starttls=off", {"EMAIL_PORT": 25, "EMAIL_USE_TLS": False, "EMAIL_USE_SSL": False}),
    ("smtps://u:p@mail.example.org", {"EMAIL_PORT": 465, "EMAIL_USE_SSL": True, "EMAIL_USE_TLS": False}),
])
def test_smtp_urls(url, expected):
    values = mail.parse_url(url)
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert values["EMAIL_TIMEOUT"] == 20
    assert {key: values[key] for key in expected} == expected


def test_console_and_empty():
    assert mail.parse_url("console:") == {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    assert mail.parse_url("") == {"EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend"}


@pytest.mark.parametrize("url, why", [
    ("imap://mail.example.org", "unknown scheme 'imap'"),
    ("smtp://", "no host"),
    ("smtp://mail.example.org?tls=maybe", "unknown option 'tls'"),
    ("smtp://mail.example.org?starttls=maybe", "starttls is on or off"),
    ("smtp://mail.example.org:port", "the port is not a number"),
])
def test_a_bad_url_is_one_line_naming_the_setting(url, why, monkeypatch):
    monkeypatch.setenv("RESTONS_EMAIL_URL", url)
    with pytest.raises(conf.ConfigError) as caught:
        conf.get("RESTONS_EMAIL_URL")
    assert str(caught.value).startswith("RESTONS_EMAIL_URL: ")
    assert why in str(caught.value)


def test_configured_is_the_one_question(monkeypatch):
    monkeypatch.delenv("RESTONS_EMAIL_URL", raising=False)
    assert mail.configured() is False
    monkeypatch.setenv("RESTONS_EMAIL_URL", "console:")
    assert mail.configured() is True


@pytest.fixture
def certificate(tmp_path):
    """A self-signed certificate for 127.0.0.1, trusted by this test's clients (SSL_CERT_FILE)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(cert), str(key))
    return cert, context


@pytest.mark.parametrize("scheme", ["smtp", "smtps"])
def test_starttls_and_smtps_really_encrypt(scheme, certificate, settings, monkeypatch, alice):
    """GIVEN a mail server that requires STARTTLS (smtp://) or speaks TLS at once (smtps://)
    WHEN a mail is sent through RESTONS_EMAIL_URL THEN it arrives, the certificate checked."""
    from aiosmtpd.controller import Controller
    from django.core.mail import send_mail

    cert, context = certificate
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    mailbox, port = Mailbox(), free_port()
    if scheme == "smtp":
        controller = Controller(mailbox, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True)
    else:
        controller = Controller(mailbox, hostname="127.0.0.1", port=port, ssl_context=context)
    controller.start()
    try:
        use_mail_url(settings, monkeypatch, f"{scheme}://127.0.0.1:{port}")
        send_mail("Hello", "Over TLS.", None, ["alice@example.org"])
    finally:
        controller.stop()
    assert [m["Subject"] for m in mailbox.messages] == ["Hello"]
