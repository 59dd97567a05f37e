"""The Import page (upload, a job followed to its summary) and the duplicates page (accept, reject)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http.request import HttpRequest

from restons.models import Identity, ImportJob, Interaction, MergeSuggestion, Person
from restons.services import jobs
from restons.services.imports import run_import
from tests.web.conftest import finish_import

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
CONNECTIONS = SAMPLES / "linkedin" / "Connections.csv"


def export_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for sample in sorted((SAMPLES / "linkedin").iterdir()):
            archive.writestr(f"Complete_LinkedInDataExport_07-08-2026/{sample.name}", sample.read_bytes())
    return buffer.getvalue()


def upload(client, source: str, name: str, data: bytes, **fields):
    """POST the file to the Import page; once it is queued, the worker runs it and the job's page is returned."""
    return finish_import(client, client.post("/import/", {"source": source, "file": SimpleUploadedFile(name, data),
                                                          **fields}))


@pytest.fixture
def suggestion(alice, tmp_path) -> MergeSuggestion:
    """Alice's Camille from LinkedIn and Camille from her address book: one pending suggestion."""
    card = tmp_path / "camille.vcf"
    card.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Camille Fontaine\nEMAIL:camille@perso.example\n"
                    "ORG:Théâtre du Port\nEND:VCARD\n", encoding="utf-8")
    run_import(alice, "linkedin", CONNECTIONS)
    run_import(alice, "vcard", card)
    return MergeSuggestion.objects.get(owner=alice)


# --- the import page -----------------------------------------------------------------


def test_the_page_offers_every_source_and_a_multipart_form(alice_client):
    response = alice_client.get("/import/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    for source in ("linkedin", "vcard", "google-csv", "outlook-csv"):
        assert f'value="{source}"' in html
    assert "<legend>Contacts</legend>" in html


CAPTURE = ("mbox", "maildir", "ics", "sms-xml", "whatsapp", "telegram", "imessage")


def test_every_source_of_restons_import_is_offered_in_its_group(alice_client, monkeypatch):
    from restons.services import imports

    for source in CAPTURE + ("future",):
        monkeypatch.setitem(imports.SOURCES, source, "restons.importers.vcard:parse")

    html = alice_client.get("/import/").content.decode()

    groups = {legend: html.index(f"<legend>{legend}</legend>")
              for legend in ("Contacts", "Mail and calendar", "Phone and chats", "Other")}
    assert list(groups) == sorted(groups, key=groups.get)
    for source in ("mbox", "ics"):
        assert groups["Mail and calendar"] < html.index(f'value="{source}"') < groups["Phone and chats"]
    for source in ("sms-xml", "whatsapp", "telegram", "imessage"):
        assert groups["Phone and chats"] < html.index(f'value="{source}"') < groups["Other"]
    assert groups["Other"] < html.index('value="future"')
    # A folder is uploaded as a .zip of it; the command is said too.
    assert html.index('value="maildir"') < groups["Phone and chats"] and "restons import maildir FOLDER" in html
    assert "Export chat" in html and "chat.db" in html and "result.json" in html


@pytest.mark.parametrize(("source", "name", "created", "interactions"), [
    ("linkedin", "linkedin/Connections.csv", 5, 0),
    ("linkedin", "Complete_LinkedInDataExport_07-08-2026.zip", 6, 6),  # Hugo only invited you: a stranger
    ("linkedin", "linkedin_old/Connections.csv", 2, 0),
    ("vcard", "vcard/apple.vcf", 3, 0),
    ("vcard", "vcard/v21.vcf", 2, 0),
    ("vcard", "vcard/v40.vcf", 3, 0),
    ("google-csv", "csv/google.csv", 4, 0),
    ("google-csv", "csv/google_old.csv", 2, 0),
    ("outlook-csv", "csv/outlook.csv", 2, 0),
    ("outlook-csv", "csv/outlook_fr.csv", 1, 0),
])
def test_upload_each_kind(alice, alice_client, monkeypatch, source, name, created, interactions):
    monkeypatch.setenv("RESTONS_DEFAULT_REGION", "US")  # the form's region decides numbers without +
    data = export_zip() if name.endswith(".zip") else (SAMPLES / name).read_bytes()

    response = upload(alice_client, source, Path(name).name, data, region="fr")

    assert response.status_code == 200
    summary = response.context["summary"]
    assert (summary["created"], summary["updated"], summary["interactions"]) == (created, 0, interactions)
    assert Person.objects.filter(owner=alice).count() == created
    assert Interaction.objects.filter(owner=alice).count() == interactions
    assert not Identity.objects.filter(value__startswith="+1").exists()
    assert f"{Path(name).name} is imported" in response.content.decode()


def test_the_summary_shows_counts_errors_and_the_way_to_the_duplicates(alice_client):
    response = upload(alice_client, "linkedin", "export.zip", export_zip())

    html = response.content.decode()
    assert response.context["summary"] | {"errors": None} == {
        "created": 6, "updated": 0, "skipped": 0, "interactions": 6, "errors": None, "suggestions": 1, "records": 16,
        "strangers": 1, "ignored": {}, "learned": [],
    }
    assert "Strangers who wrote to you (not added)</dt><dd>1<" in html  # messages.csv: someone who only wrote
    assert "<td>Connections.csv line 12</td><td>This connection has no name; add one in LinkedIn or skip it.</td>" in html
    assert "<td>messages.csv line 8, DATE</td>" in html
    assert "5 problems; the rest was imported" in html
    assert 'href="/import/duplicates/"' in html
    assert "One possible duplicate to review" in html


def test_the_same_upload_twice_creates_nothing_and_does_not_say_imported(alice, alice_client):
    upload(alice_client, "linkedin", "Connections.csv", CONNECTIONS.read_bytes())

    response = upload(alice_client, "linkedin", "Connections.csv", CONNECTIONS.read_bytes())

    summary = response.context["summary"]
    assert (summary["created"], summary["updated"], summary["skipped"]) == (0, 0, 5)
    assert Person.objects.filter(owner=alice).count() == 5
    html = response.content.decode()
    assert "Nothing new in Connections.csv: everything in it was already here" in html
    assert "is imported" not in html


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00\x1f\xf3\xffa"


@pytest.mark.parametrize(("source", "name", "data", "message"), [
    ("vcard", "photo.vcf", PNG,
     "photo.vcf: no BEGIN:VCARD line in it; expected a vCard file (.vcf) of contacts"),
    ("vcard", "empty.vcf", b"", "empty.vcf: the file is empty; expected a vCard file (.vcf)"),
    ("google-csv", "noise.csv", bytes(range(256)) * 8,
     "noise.csv: no header row with First Name, Last Name in its first lines; expected a Google Contacts CSV export"),
    ("outlook-csv", "numbers.csv", b"a,b,c\r1,2,3\r",
     "numbers.csv: no header row with First Name, Last Name in its first lines; expected an Outlook CSV export"),
    ("linkedin", "Connections.csv", b"First Name,Last Name\n",
     "Connections.csv: nothing in it could be imported; expected a LinkedIn export "
     "(the .zip, Connections.csv, messages.csv or Invitations.csv)"),
])
def test_a_file_that_is_not_what_its_source_expects_is_refused_with_one_line(alice_client, source, name, data, message):
    response = upload(alice_client, source, name, data)

    html = response.content.decode()
    assert f'<p class="import-error" role="alert">{message}</p>' in html.replace("&#x27;", "'")
    assert "Nothing was written." in html
    assert "import-summary" not in html
    assert Person.objects.count() == 0
    assert ImportJob.objects.get().status == ImportJob.Status.FAILED


def test_a_file_over_the_limit_is_refused_and_nothing_written(alice_client, settings):
    settings.MAX_UPLOAD_BYTES = 100

    response = upload(alice_client, "linkedin", "Connections.csv", CONNECTIONS.read_bytes())

    assert response.status_code == 413
    assert "the largest import accepted is 100\xa0bytes" in response.content.decode()
    assert Person.objects.count() == 0


def test_a_body_over_the_limit_is_refused_before_it_is_read(alice_client, settings, monkeypatch):
    settings.MAX_UPLOAD_BYTES = 1000

    def no_reading(self):
        raise AssertionError("the upload was read")

    monkeypatch.setattr(HttpRequest, "_load_post_and_files", no_reading)

    response = upload(alice_client, "vcard", "big.vcf", b"BEGIN:VCARD\n" * 20_000)

    assert response.status_code == 413
    assert "the largest import accepted is 1000\xa0bytes" in response.content.decode()
    assert Person.objects.count() == 0


def test_an_unsafe_zip_is_refused_with_its_one_line_reason(alice, alice_client, settings):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("Connections.csv", CONNECTIONS.read_bytes())
        archive.writestr("../../etc/cron.d/Connections.csv", b"First Name,Last Name\nEvil,Twin\n")

    response = upload(alice_client, "linkedin", "export.zip", buffer.getvalue())

    assert ("export.zip: The archive member ../../etc/cron.d/Connections.csv points outside the archive; "
            "the archive was refused.") in response.content.decode()
    assert Person.objects.count() == 0


@pytest.mark.parametrize(("fields", "message"), [
    ({"source": "nonsense"}, "Choose what kind of file this is."),
    ({"source": "vcard", "file": None}, "Choose a file to import."),
    ({"source": "vcard", "region": "XX"}, "unknown phone region &#x27;XX&#x27;"),
])
def test_bad_form_input_is_one_line_and_nothing_written(alice_client, fields, message):
    data = {"source": "vcard", "file": SimpleUploadedFile("v21.vcf", (SAMPLES / "vcard/v21.vcf").read_bytes()),
            **fields}
    if data["file"] is None:
        del data["file"]

    response = alice_client.post("/import/", data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert Person.objects.count() == 0


def test_bobs_upload_of_the_same_file_gives_him_his_own_people(alice, bob, alice_client, bob_client):
    upload(alice_client, "linkedin", "Connections.csv", CONNECTIONS.read_bytes())

    response = upload(bob_client, "linkedin", "Connections.csv", CONNECTIONS.read_bytes())

    assert response.context["summary"]["created"] == 5
    assert Person.objects.filter(owner=bob).count() == Person.objects.filter(owner=alice).count() == 5


# --- the duplicates page -------------------------------------------------------------


def test_duplicates_side_by_side(alice_client, suggestion):
    response = alice_client.get("/import/duplicates/")

    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="suggestion-{suggestion.id}"' in html
    assert html.count('<a class="name"') == 2
    for text in ("Camille Fontaine", "https://www.linkedin.com/in/camille-fontaine-4a1b2c", "Brume Conseil · Directrice",
                 "camille@perso.example", "Théâtre du Port", "same name",
                 f'action="/import/duplicates/{suggestion.id}/accept/"',
                 f'hx-post="/import/duplicates/{suggestion.id}/reject/"'):
        assert text in html


def test_the_duplicates_page_query_count_does_not_grow(alice, alice_client, suggestion, tmp_path,
                                                        django_assert_max_num_queries):
    with django_assert_max_num_queries(20) as one:
        alice_client.get("/import/duplicates/")
    more = tmp_path / "more.vcf"
    more.write_text("".join(f"BEGIN:VCARD\nVERSION:3.0\nFN:{name}\nEMAIL:{i}@other.example\nEND:VCARD\n"
                            for i, name in enumerate(["Théo Marchal", "Nadia Okafor", "Yusuf Kaya"])), encoding="utf-8")
    run_import(alice, "vcard", more)
    assert MergeSuggestion.objects.filter(owner=alice).count() == 4

    with django_assert_max_num_queries(len(one.captured_queries)):
        response = alice_client.get("/import/duplicates/")
    assert response.content.decode().count('class="card dupe"') == 4


def test_accept_merges_with_htmx_in_place(alice, alice_client, suggestion):
    keep, drop = suggestion.person_a, suggestion.person_b

    response = alice_client.post(f"/import/duplicates/{suggestion.id}/accept/", HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="suggestion-{suggestion.id}"' in html
    assert "Merged: Camille Fontaine now has the addresses and pings of both." in html
    assert "<html" not in html
    assert not Person.objects.filter(pk=drop.pk).exists()
    assert sorted(Identity.objects.filter(person=keep).values_list("value", flat=True)) == [
        "camille@perso.example", "https://www.linkedin.com/in/camille-fontaine-4a1b2c"]
    assert sorted(keep.affiliations.values_list("organisation__name", flat=True)) == ["Brume Conseil", "Théâtre du Port"]
    assert Person.objects.filter(owner=alice).count() == 5
    assert alice_client.get("/import/duplicates/").context["suggestions"] == []


def test_accept_without_javascript_redirects_back_with_a_message(alice, alice_client, suggestion):
    response = alice_client.post(f"/import/duplicates/{suggestion.id}/accept/", follow=True)

    assert response.redirect_chain == [("/import/duplicates/", 302)]
    assert "Merged: Camille Fontaine now has the addresses and pings of both." in response.content.decode()
    assert Person.objects.filter(owner=alice, name="Camille Fontaine").count() == 1


@pytest.mark.parametrize("htmx", [True, False])
def test_reject_marks_the_pair_rejected(alice, alice_client, suggestion, htmx):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}

    response = alice_client.post(f"/import/duplicates/{suggestion.id}/reject/", **headers)

    suggestion.refresh_from_db()
    assert suggestion.status == MergeSuggestion.Status.REJECTED
    assert Person.objects.filter(owner=alice, name="Camille Fontaine").count() == 2
    if htmx:
        assert "Camille Fontaine and Camille Fontaine stay apart" in response.content.decode()
    else:
        assert (response.status_code, response["Location"]) == (302, "/import/duplicates/")
    # Deciding again is a 404: the suggestion is no longer pending.
    assert alice_client.post(f"/import/duplicates/{suggestion.id}/accept/").status_code == 404


@pytest.mark.parametrize("action", ["accept", "reject"])
def test_bob_gets_a_404_for_alices_suggestion(bob_client, suggestion, action):
    response = bob_client.post(f"/import/duplicates/{suggestion.id}/{action}/", HTTP_HX_REQUEST="true")

    assert response.status_code == 404
    suggestion.refresh_from_db()
    assert suggestion.status == MergeSuggestion.Status.PENDING
    assert Person.objects.filter(name="Camille Fontaine").count() == 2
    assert bob_client.get("/import/duplicates/").context["suggestions"] == []


@pytest.mark.parametrize(("method", "url"), [
    ("get", "/import/"),
    ("post", "/import/"),
    ("get", "/import/duplicates/"),
    ("get", "/import/jobs/1/"),
    ("post", "/import/duplicates/1/accept/"),
    ("post", "/import/duplicates/1/reject/"),
])
def test_anonymous_is_sent_to_login(client, db, method, url):
    response = getattr(client, method)(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_an_upload_without_csrf_token_is_refused(csrf_client):
    response = upload(csrf_client, "linkedin", "Connections.csv", CONNECTIONS.read_bytes())

    assert response.status_code == 403
    assert Person.objects.count() == 0


@pytest.mark.parametrize("action", ["accept", "reject"])
def test_a_decision_without_csrf_token_is_refused(csrf_client, suggestion, action):
    response = csrf_client.post(f"/import/duplicates/{suggestion.id}/{action}/")

    assert response.status_code == 403
    suggestion.refresh_from_db()
    assert suggestion.status == MergeSuggestion.Status.PENDING


def test_an_upload_with_the_csrf_token_goes_through(csrf_client):
    page = csrf_client.get("/import/")
    token = page.cookies["csrftoken"].value if "csrftoken" in page.cookies else page.context["csrf_token"]

    response = upload(csrf_client, "linkedin", "Connections.csv", CONNECTIONS.read_bytes(),
                      csrfmiddlewaretoken=str(token))

    assert response.status_code == 200
    assert response.context["summary"]["created"] == 5


# --- the job's page --------------------------------------------------------------------------


def test_an_upload_is_queued_and_its_page_polls_until_the_summary(alice, alice_client):
    response = alice_client.post("/import/", {"source": "vcard",
                                              "file": SimpleUploadedFile("apple.vcf", (SAMPLES / "vcard/apple.vcf").read_bytes())})

    job = ImportJob.objects.get(owner=alice)
    assert (response.status_code, response["Location"]) == (302, f"/import/jobs/{job.id}/")
    assert not Person.objects.exists()  # nothing is imported while the request waits: the worker does it

    waiting = alice_client.get(f"/import/jobs/{job.id}/").content.decode()
    assert "apple.vcf is waiting to be imported" in waiting
    assert f'hx-get="/import/jobs/{job.id}/" hx-trigger="every 1s" hx-swap="outerHTML"' in waiting
    assert "You may close this page: the import goes on" in waiting

    jobs.claim_one("test-worker")
    running = alice_client.get(f"/import/jobs/{job.id}/", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in running  # the polled fragment only
    assert "Importing apple.vcf…" in running and "0 records read so far." in running
    assert 'hx-trigger="every 1s"' in running

    jobs.run(ImportJob.objects.get(pk=job.pk), "test-worker")
    done = alice_client.get(f"/import/jobs/{job.id}/", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in done and "hx-trigger" not in done  # finished: the polling stops
    assert "apple.vcf is imported" in done
    assert "<td>apple.vcf line 40</td>" in done  # the card without a name: where and why
    assert Person.objects.filter(owner=alice).count() == 3


def test_a_capture_summary_shows_strangers_and_what_was_left_out_per_reason(alice, alice_client):
    job = ImportJob.objects.create(owner=alice, source="mbox", file_name="All mail.mbox", status="done", summary={
        "created": 4, "updated": 0, "skipped": 0, "interactions": 31, "errors": [], "suggestions": 0,
        "records": 120, "strangers": 6, "ignored": {"list": 52, "no-reply": 19, "missed-call": 2, "newcode": 1}})

    html = alice_client.get(f"/import/jobs/{job.id}/").content.decode()

    assert "<div><dt>Strangers who wrote to you (not added)</dt><dd>6</dd></div>" in html
    assert "<div><dt>Not pings, left out</dt><dd>74</dd></div>" in html
    assert ('<dt>mailing lists</dt><dd data-reason="list">52</dd>'
            '<dt>addresses nobody reads (no-reply)</dt><dd data-reason="no-reply">19</dd>') in html
    assert '<dt>missed calls</dt><dd data-reason="missed-call">2</dd>' in html
    assert '<dt>newcode</dt><dd data-reason="newcode">1</dd>' in html  # a reason without a label yet still counts

    alice_client.post("/language/", {"language": "fr"})
    french = alice_client.get(f"/import/jobs/{job.id}/").content.decode()
    assert "listes de diffusion" in french and "appels manqués" in french


def test_every_reason_the_capture_rules_give_has_a_label():
    from restons import labels

    reasons = {"list", "bulk", "auto", "spam", "trash", "draft", "unsent", "system", "reaction", "missed-call",
               "rejected-call", "blocked-call", "zero-length-call", "no-reply", "channel", "bot", "group", "self",
               "cancelled", "declined", "resource"}
    assert reasons <= set(labels.IGNORED)


def test_the_import_page_lists_recent_imports_with_their_outcome(alice, alice_client, bob_client):
    upload(alice_client, "vcard", "apple.vcf", (SAMPLES / "vcard/apple.vcf").read_bytes())
    upload(alice_client, "vcard", "photo.vcf", PNG)
    queued = jobs.queue(alice, "vcard", SimpleUploadedFile("later.vcf", b"BEGIN:VCARD\n"))

    html = alice_client.get("/import/").content.decode()

    assert "Recent imports" in html
    assert html.index("later.vcf") < html.index("photo.vcf") < html.index("apple.vcf")  # newest first
    assert f'href="/import/jobs/{queued.id}/"' in html
    assert "done: 3 created, 0 pings" in html and "refused" in html and "waiting to start" in html
    assert "Recent imports" not in bob_client.get("/import/").content.decode()


@pytest.mark.parametrize("htmx", [False, True])
def test_bob_gets_a_404_for_alices_job(alice, bob_client, htmx):
    job = jobs.queue(alice, "vcard", SimpleUploadedFile("apple.vcf", (SAMPLES / "vcard/apple.vcf").read_bytes()))
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}

    response = bob_client.get(f"/import/jobs/{job.id}/", **headers)

    assert response.status_code == 404
    assert "apple.vcf" not in response.content.decode()


def test_a_job_waiting_with_no_worker_alive_says_so(alice, alice_client):
    from django.utils import timezone

    job = jobs.queue(alice, "vcard", SimpleUploadedFile("apple.vcf", (SAMPLES / "vcard/apple.vcf").read_bytes()))
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timezone.timedelta(minutes=1))

    html = alice_client.get(f"/import/jobs/{job.id}/").content.decode()

    assert "No worker is running on the server" in html


def test_a_large_import_summary_writes_its_counts_grouped():
    """30,000 connections read "30,000", not "30000"; in French "30 000"."""
    from types import SimpleNamespace

    from django.template.loader import render_to_string
    from django.utils import translation

    summary = SimpleNamespace(created=30000, updated=1234, skipped=0, interactions=95218, strangers=1500,
                              learned=[], suggestions=2500, errors=[])
    context = {"imported": True, "file_name": "Connections.csv", "summary": summary, "capture": True,
               "ignored_total": 12000, "ignored": [{"label": "mailing lists", "reason": "list", "count": 12000}]}
    with translation.override("en"):
        html = render_to_string("restons/imports/_summary.html", context)
    assert "<dt>People created</dt><dd>30,000</dd>" in html
    assert "<dt>Pings (interactions)</dt><dd>95,218</dd>" in html
    assert '<dd data-reason="list">12,000</dd>' in html
    assert "2,500 people may be duplicates" in html
    with translation.override("fr"):
        assert "<dd>30\u00a0000</dd>" in render_to_string("restons/imports/_summary.html", context)
