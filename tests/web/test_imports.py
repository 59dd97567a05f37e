"""The Import page (upload, summary) and the duplicates page (accept, reject)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http.request import HttpRequest

from restons.models import Identity, Interaction, MergeSuggestion, Person
from restons.services.imports import run_import

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
CONNECTIONS = SAMPLES / "linkedin" / "Connections.csv"


def export_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for sample in sorted((SAMPLES / "linkedin").iterdir()):
            archive.writestr(f"Complete_LinkedInDataExport_07-08-2026/{sample.name}", sample.read_bytes())
    return buffer.getvalue()


def upload(client, source: str, name: str, data: bytes, **fields):
    return client.post("/import/", {"source": source, "file": SimpleUploadedFile(name, data), **fields})


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


@pytest.mark.parametrize(("source", "name", "created", "interactions"), [
    ("linkedin", "linkedin/Connections.csv", 5, 0),
    ("linkedin", "Complete_LinkedInDataExport_07-08-2026.zip", 7, 7),
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
    assert (summary.created, summary.updated, summary.interactions) == (created, 0, interactions)
    assert Person.objects.filter(owner=alice).count() == created
    assert Interaction.objects.filter(owner=alice).count() == interactions
    assert not Identity.objects.filter(value__startswith="+1").exists()
    assert f"{Path(name).name} is imported" in response.content.decode()


def test_the_summary_shows_counts_errors_and_the_way_to_the_duplicates(alice_client):
    response = upload(alice_client, "linkedin", "export.zip", export_zip())

    html = response.content.decode()
    assert response.context["summary"].as_json() | {"errors": None} == {
        "created": 7, "updated": 0, "skipped": 0, "interactions": 7, "errors": None, "suggestions": 1, "records": 17,
        "strangers": 0, "ignored": {}, "learned": [],
    }
    assert "<td>Connections.csv line 12</td><td>This connection has no name; add one in LinkedIn or skip it.</td>" in html
    assert "<td>messages.csv line 8, DATE</td>" in html
    assert "5 problems; the rest was imported" in html
    assert 'href="/import/duplicates/"' in html
    assert "One possible duplicate to review" in html


def test_the_same_upload_twice_creates_nothing_and_does_not_say_imported(alice, alice_client):
    upload(alice_client, "linkedin", "Connections.csv", CONNECTIONS.read_bytes())

    response = upload(alice_client, "linkedin", "Connections.csv", CONNECTIONS.read_bytes())

    summary = response.context["summary"]
    assert (summary.created, summary.updated, summary.skipped) == (0, 0, 5)
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
def test_a_file_that_is_not_what_its_source_expects_is_a_400_with_one_line(alice_client, source, name, data, message):
    response = upload(alice_client, source, name, data)

    assert response.status_code == 400
    html = response.content.decode()
    assert f'<p class="card import-error" role="alert">{message}</p>' in html.replace("&#x27;", "'")
    assert "import-summary" not in html
    assert Person.objects.count() == 0


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

    assert response.status_code == 400
    assert ("export.zip: The archive member ../../etc/cron.d/Connections.csv points outside the archive; "
            "the archive was refused.") in response.content.decode()
    assert Person.objects.count() == 0


@pytest.mark.parametrize(("fields", "message"), [
    ({"source": "mbox"}, "Choose what kind of file this is."),
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

    assert response.context["summary"].created == 5
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
    assert response.context["summary"].created == 5
