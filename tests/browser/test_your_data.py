"""Settings → Your data and API tokens, in a real browser (headless Chromium).

GIVEN the demo network WHEN its owner downloads everything, makes an API token,
uses it, and revokes it THEN the download is the backup, the token is shown
once and works, and once revoked it is refused.
"""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from restons.services.demo import fill_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def owner(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = get_user_model().objects.create_user("owner@example.org", "owner@example.org", "a long pass phrase")
    fill_demo(user)
    return user


def test_download_everything_and_an_api_token(page, shoot, owner, tmp_path):
    page.goto(page.base + "/login/")
    page.fill("input[name=login]", "owner@example.org")
    page.fill("input[name=password]", "a long pass phrase")
    page.click("button.primary")
    page.wait_for_url(page.base + "/")
    page.click("nav >> text=Settings")

    page.click("text=Download everything")  # a sensitive action: the password again first
    page.wait_for_url("**/accounts/reauthenticate/**")
    page.fill("input[name=password]", "a long pass phrase")
    with page.expect_download() as download:
        page.click("main button[type=submit]")
    saved = tmp_path / "backup.json"
    download.value.save_as(saved)
    assert download.value.suggested_filename.startswith("restons-backup-")
    document = json.loads(saved.read_text())
    assert document["format"] == "restons-backup" and len(document["tables"]["restons.person"]) == 12

    page.goto(page.base + "/settings/")  # the password given a moment ago holds for the token too
    page.fill("#tokens input[name=name]", "my script")
    page.select_option("select[name=scope]", "read")
    page.click("button:has-text('Make a token')")
    secret = page.locator("#new-token").inner_text()
    assert secret.startswith("rst_")
    shoot("settings-token")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get("/api/v1/people", {"limit": 1}).json()["count"] == 12

    page.goto(page.base + "/settings/")
    assert secret not in page.content()
    page.click("#tokens >> text=Revoke")
    assert "Token “my script” revoked." in page.content()
    assert api.get("/api/v1/people").status_code == 401
