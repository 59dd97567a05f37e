"""Correcting and forgetting, in a real browser (headless Chromium), in English and in French.

GIVEN a new account with the demo people WHEN the user logs a ping from Today and undoes it, edits and deletes
a ping of a person's timeline, archives and deletes people in bulk from the People page, deletes a person
from their page and removes the demo people THEN each screen shows what they expect and the database
follows. Screenshots of every step (laptop and phone widths) go to RESTONS_SCREENSHOTS.
"""

from __future__ import annotations

import pytest

from restons.models import Interaction, Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The words the test reads on screen, per language; everything else is found by its role in the page.
TEXT = {
    "en": {"logged": "logged", "saved_note": "Called about the new job",
           "ask_ping": "Delete this ping?", "archived": "2 people archived.", "ask_bulk": "Delete this person?",
           "deleted_one": "1 person deleted, with everything about them.", "ask_person": "Delete this person?",
           "person_gone": "is deleted, with everything about them.", "ask_demo": "Remove the demo people?",
           "demo_gone": "demo people removed.", "empty": "Nobody here yet."},
    "fr": {"logged": "noté", "saved_note": "Appel au sujet du nouveau poste",
           "ask_ping": "Supprimer ce signe\u00a0?", "archived": "2 personnes archivées.",
           "ask_bulk": "Supprimer cette personne\u00a0?",
           "deleted_one": "1 personne supprimée, avec tout ce qui la concerne.",
           "ask_person": "Supprimer cette personne\u00a0?", "person_gone": "et tout ce qui s’y rapporte.",
           "ask_demo": "Retirer les personnes de démonstration\u00a0?",
           "demo_gone": "personnes de démonstration retirées.", "empty": "Personne ici pour l’instant."},
}


@pytest.fixture
def session_cookies(settings):
    # The live server and the browser share real time; sessions end with the browser.
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True


def start(page, lang: str) -> None:
    """Create the owner account, choose the language, load the demo people."""
    page.goto(page.base + "/")
    page.fill("input[name=email]", f"forget-{lang}@example.org")
    page.fill("input[name=password]", "a long pass phrase")
    page.click("button.primary")
    page.wait_for_url(page.base + "/")
    if lang == "fr":
        page.click("button[lang=fr]")
        page.wait_for_load_state()
    page.click("form[action='/demo/'] button")
    page.wait_for_selector("li.entry")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_correct_and_forget(page, shoot, session_cookies, lang):
    text = TEXT[lang]
    start(page, lang)
    step = iter(range(1, 100))

    def snap(name: str) -> None:
        shoot(f"forget-{lang}-{next(step):02d}-{name}")

    # Today: "I pinged them", then Undo brings the entry back and deletes exactly that ping.
    entry = page.locator("li.entry").first
    entry_id = entry.get_attribute("id")
    before = Interaction.objects.count()
    entry.locator("form[action$='/ping/'] button.primary").click()
    done = page.locator(f"#{entry_id}.done")
    done.wait_for()
    assert text["logged"] in done.inner_text()
    assert Interaction.objects.count() == before + 1
    snap("today-undo-offered")
    done.locator("form.undo button").click()
    page.locator(f"li.entry#{entry_id}:not(.done)").wait_for()
    assert Interaction.objects.count() == before
    snap("today-undone")

    # A person's timeline: edit a ping in place, then delete another one after the question.
    person = Person.objects.filter(interactions__isnull=False).order_by("name").first()
    page.goto(f"{page.base}/people/{person.id}/")
    latest = person.interactions.order_by("-at", "-id").first()
    item = page.locator(f"#ping-{latest.id}")
    item.locator(".ping-actions a").first.click()
    page.locator(f"#ping-{latest.id} form.ping-edit").wait_for()
    page.fill(f"#ping-{latest.id} textarea[name=note]", text["saved_note"])
    page.select_option(f"#ping-{latest.id} select[name=channel]", "call")
    snap("timeline-edit")
    page.click(f"#ping-{latest.id} form.ping-edit button.primary")
    page.locator(f"#ping-{latest.id} .summary").wait_for()
    assert text["saved_note"] in page.inner_text(f"#ping-{latest.id}")
    latest.refresh_from_db()
    assert (latest.summary, latest.channel) == (text["saved_note"], "call")
    snap("timeline-edited")

    count = person.interactions.count()
    item.locator(".ping-actions a").nth(1).click()
    page.locator(f"#ping-{latest.id} form.ping-confirm").wait_for()
    assert text["ask_ping"] in page.inner_text(f"#ping-{latest.id}")
    snap("timeline-delete-question")
    page.click(f"#ping-{latest.id} form.ping-confirm button.danger")
    page.locator(f"#ping-{latest.id}").wait_for(state="detached")
    assert person.interactions.count() == count - 1
    assert not Interaction.objects.filter(pk=latest.pk).exists()

    # The People page: the demo notice; archive two people, delete a third after the question.
    page.goto(page.base + "/people/?sort=name")
    assert page.locator(".demo-notice").is_visible()
    names = [p.name for p in Person.objects.order_by("name", "id")]
    boxes = page.locator("input[name=person]")
    boxes.nth(0).check()
    boxes.nth(1).check()
    snap("people-ticked")
    page.click(".bulk-actions button[name=archived][value='1']")
    page.wait_for_load_state()
    assert text["archived"] in page.inner_text(".messages")
    assert sorted(Person.objects.filter(archived=True).values_list("name", flat=True)) == names[:2]
    snap("people-archived")

    page.locator("input[name=person]").first.check()
    third = names[2]
    page.click(".bulk-actions button.danger")
    page.wait_for_selector(".confirm-delete")
    assert text["ask_bulk"] in page.inner_text("h1") and third in page.inner_text(".confirm-delete .names")
    snap("people-delete-question")
    page.click(".confirm-delete button.danger")
    page.wait_for_selector(".messages")
    assert text["deleted_one"] in page.inner_text(".messages")
    assert not Person.objects.filter(name=third).exists()

    # A person's page: Delete… asks, then forgets them.
    doomed = Person.objects.filter(archived=False).order_by("name").first()
    page.goto(f"{page.base}/people/{doomed.id}/")
    page.click(f"a[href='/people/{doomed.id}/delete/']")
    page.wait_for_selector(".confirm-delete")
    assert text["ask_person"] in page.inner_text("h1")
    snap("person-delete-question")
    page.click(".confirm-delete button.danger")
    page.wait_for_selector(".messages")
    assert text["person_gone"] in page.inner_text(".messages")
    assert not Person.objects.filter(pk=doomed.pk).exists()

    # Remove the demo people: one action, asked first; nobody is left.
    page.click(".demo-notice a.button")
    page.wait_for_selector(".confirm-delete")
    assert text["ask_demo"] in page.inner_text("h1")
    snap("demo-remove-question")
    page.click(".confirm-delete button.danger")
    page.wait_for_selector(".messages")
    assert text["demo_gone"] in page.inner_text(".messages")
    assert not Person.objects.exists() and not Interaction.objects.exists()
    assert page.locator(".demo-notice").count() == 0 and text["empty"] in page.inner_text("main")
    snap("demo-removed")
