"""The newcomer's first ten minutes, in a real browser.

GIVEN a new instance WHEN a person creates the account, imports a LinkedIn
export and a vCard file, accepts a merge suggestion, logs a ping from Today
and switches to French THEN each step shows what they expect.
"""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_create_the_account_and_see_today(page, shoot):
    page.goto(page.base + "/")
    assert page.url.endswith("/welcome/")
    shoot("01-welcome")
    page.fill("input[name=email]", "newcomer@example.org")
    page.fill("input[name=password]", "a long pass phrase")
    page.click("button.primary")
    page.wait_for_url(page.base + "/")
    assert "Nobody to ping today." in page.content()
    shoot("02-today-empty")
    page.click("button[lang=fr]")
    page.wait_for_load_state()
    assert "Aujourd’hui" in page.inner_text("nav")
