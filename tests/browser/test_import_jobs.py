"""An upload on the Import page followed to its summary, in a real browser (headless Chromium).

GIVEN a logged-in user WHEN they upload a vCard file (in English) and a LinkedIn Connections.csv (in French)
THEN the job's page says the file waits, then — polled with HTMX, no reload — shows the summary with the
counts and the problems (where, why); a refused file shows its one line; the Import page lists the jobs.
The worker's part runs in the test (jobs.run_queued) while the page polls.
Screenshots (laptop and phone widths) go to RESTONS_SCREENSHOTS.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from restons.models import ImportJob, Person
from restons.services import jobs

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@pytest.fixture
def user(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return get_user_model().objects.create_user("ana@example.org", "ana@example.org", "a long pass phrase")


def log_in(page) -> None:
    page.goto(page.base + "/login/")
    page.fill("input[name=login]", "ana@example.org")
    page.fill("input[name=password]", "a long pass phrase")
    page.click("button.primary")
    page.wait_for_url(page.base + "/")


def submit(page, source: str, file: Path) -> None:
    page.goto(page.base + "/import/")
    page.check(f"input[name=source][value={source}]")
    page.set_input_files("input[name=file]", str(file))
    page.click("form.import-form button.primary")
    page.wait_for_url("**/import/jobs/*/")


def test_an_upload_followed_to_its_summary_in_english_and_french(page, shoot, user, tmp_path):
    log_in(page)
    page.goto(page.base + "/import/")
    for group in ("Contacts", "Mail and calendar", "Phone and chats"):
        expect(page.locator("legend", has_text=group)).to_have_count(1)
    shoot("import-page")

    # English: a vCard file with one card without a name.
    submit(page, "vcard", SAMPLES / "vcard" / "apple.vcf")
    expect(page.locator("#import-job")).to_contain_text("apple.vcf is waiting to be imported")
    shoot("import-job-waiting")
    assert jobs.run_queued("browser-worker") == {"done": 1}
    summary = page.locator(".import-summary")
    expect(summary).to_contain_text("apple.vcf is imported")  # polled in place, no reload
    expect(summary).to_contain_text("apple.vcf line 40")
    assert page.locator("#import-job").get_attribute("hx-trigger") is None  # the polling stopped
    shoot("import-job-summary")
    assert Person.objects.filter(owner=user).count() == 3

    # French: LinkedIn's Connections.csv, then a file that is not one.
    page.click("form.lang button[value=fr]")
    submit(page, "linkedin", SAMPLES / "linkedin" / "Connections.csv")
    expect(page.locator("#import-job")).to_contain_text("attend d’être importé")
    assert jobs.run_queued("browser-worker") == {"done": 1}
    summary = page.locator(".import-summary")
    expect(summary).to_contain_text("Connections.csv est importé")
    expect(summary).to_contain_text("Personnes créées")
    expect(summary).to_contain_text("Connections.csv ligne 12")
    shoot("import-job-summary-fr")

    not_a_card = tmp_path / "photo.vcf"
    not_a_card.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    submit(page, "vcard", not_a_card)
    assert jobs.run_queued("browser-worker") == {"failed": 1}
    refusal = page.locator(".import-refusal")
    expect(refusal).to_contain_text("photo.vcf n’a pas été importé")
    expect(refusal).to_contain_text("Rien n’a été écrit.")
    shoot("import-job-refused-fr")

    page.goto(page.base + "/import/")
    recent = page.locator(".import-recent")
    expect(recent).to_contain_text("Imports récents")
    expect(recent.locator("tbody tr")).to_have_count(3)
    assert ImportJob.objects.filter(owner=user, status="done").count() == 2
    shoot("import-page-recent-fr")

