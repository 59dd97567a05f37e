"""The newcomer's first ten minutes, in a real browser (headless Chromium).

GIVEN a new instance WHEN a person creates the account, imports a LinkedIn
export and a vCard file, accepts a merge suggestion, logs a ping from Today
and switches to French THEN each step shows what they expect. Screenshots of
every step (laptop and phone widths) go to RESTONS_SCREENSHOTS.
"""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from restons.models import Interaction, MergeSuggestion, Person
from restons.services import jobs

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SAMPLES = Path(__file__).resolve().parent.parent / "samples"
# Ten days after Hugo Lemaire's LinkedIn invitation (1 December 2025): he is owed a reply.
DAY = datetime(2025, 12, 10, 9, 30, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.fixture
def linkedin_zip(tmp_path) -> Path:
    """The sample export as downloaded on 9 December 2025: its July 2026 invitation moved to 5 December
    (an import refuses pings in the future), and Hugo Lemaire, whose invitation of 1 December you accepted,
    among the connections (an invitation from someone who is not one is a stranger's, not a ping)."""
    path = tmp_path / "Complete_LinkedInDataExport_12-09-2025.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for member in (SAMPLES / "linkedin").iterdir():
            data = member.read_bytes()
            if member.name == "Invitations.csv":
                data = data.replace(b'"7/8/26, 3:43 PM"', b'"12/5/25, 3:43 PM"')
            if member.name == "Connections.csv":
                data = data.rstrip(b"\r\n") + b"\nHugo,Lemaire,https://www.linkedin.com/in/hugo-lemaire,,,,01 Dec 2025\n"
            archive.writestr(f"export/{member.name}", data)
    return path


@pytest.fixture
def frozen(settings):
    # The browser keeps real time: session cookies must not carry a date from the frozen clock.
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    with time_machine.travel(DAY, tick=True):
        yield


def test_the_newcomers_first_ten_minutes(page, shoot, linkedin_zip, frozen):
    # Create the account.
    page.goto(page.base + "/")
    assert page.url.endswith("/welcome/")
    shoot("01-welcome")
    page.fill("input[name=email]", "newcomer@example.org")
    page.fill("input[name=password]", "a long pass phrase")
    page.click("button.primary")
    page.wait_for_url(page.base + "/")
    assert "Nobody to ping today." in page.content()
    shoot("02-today-empty")

    # Import the whole LinkedIn export.
    page.click("text=Import contacts")
    page.wait_for_url("**/import/")
    page.check("input[name=source][value=linkedin]")
    page.set_input_files("input[name=file]", str(linkedin_zip))
    shoot("03-import-form")
    page.click("form.import-form button.primary")
    page.wait_for_url("**/import/jobs/*/")
    jobs.run_queued("browser-worker")  # the worker's part; the page polls until the summary
    expect(page.locator(".import-summary")).to_be_visible()
    summary = page.inner_text("main")
    assert "Connections.csv line 12" in summary  # the nameless row, reported with where
    shoot("04-import-linkedin-summary")
    assert Person.objects.filter(name="Hugo Lemaire").exists()
    assert Interaction.objects.filter(source="linkedin").count() == 7

    # Import a vCard file.
    page.goto(page.base + "/import/")
    page.check("input[name=source][value=vcard]")
    page.set_input_files("input[name=file]", str(SAMPLES / "vcard" / "apple.vcf"))
    page.click("form.import-form button.primary")
    page.wait_for_url("**/import/jobs/*/")
    jobs.run_queued("browser-worker")
    expect(page.locator(".import-summary")).to_be_visible()
    assert "apple.vcf line 40" in page.inner_text("main")  # the card without a name, where it begins
    shoot("05-import-vcard-summary")

    # Accept the merge suggestion: the connection and the invitation are one person.
    page.goto(page.base + "/import/duplicates/")
    assert "Inès Berthier" in page.inner_text("main")
    shoot("06-duplicates")
    page.click("text=Same person: merge")
    page.wait_for_selector("text=Merged")
    shoot("07-merged")
    assert Person.objects.filter(name="Inès Berthier").count() == 1
    assert not MergeSuggestion.objects.exists()  # the duplicate is gone, and its suggestion with it

    # Today: Hugo wrote ten days ago; log the ping in one click, without a reload.
    page.goto(page.base + "/")
    entry = page.locator("li.entry", has_text="Hugo Lemaire")
    assert "waiting for your reply" in entry.inner_text()
    shoot("08-today")
    entry.locator("button", has_text="I pinged them").click()
    page.wait_for_selector("text=Ping with Hugo Lemaire logged")
    shoot("09-today-logged")
    assert Interaction.objects.filter(person__name="Hugo Lemaire", source="manual", direction="out").count() == 1

    # Switch to French: the choice sticks.
    page.click("button[lang=fr]")
    page.wait_for_load_state()
    assert "Aujourd’hui" in page.inner_text("nav")
    page.goto(page.base + "/people/")
    assert "Personnes" in page.inner_text("nav")
    shoot("10-people-french")
