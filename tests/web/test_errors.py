"""The 400, 403, 404 and 500 pages: the product's look, the visitor's language, and a 500 that needs no database."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory

from restons.services.accounts import save_settings

pytestmark = pytest.mark.django_db


def test_a_missing_page_is_a_404_in_the_products_style(alice_client):
    response = alice_client.get("/nowhere/")
    page = response.content.decode()
    assert response.status_code == 404
    assert '<link rel="stylesheet" href="/static/restons/app.css">' in page
    assert "This page does not exist" in page and 'href="/">Back to Today</a>' in page
    assert 'href="/people/"' in page  # the navigation, for a logged-in user


def test_another_users_person_is_the_same_404(bob_client, camille):
    response = bob_client.get(f"/people/{camille.id}/")
    assert response.status_code == 404
    assert "This page does not exist" in response.content.decode()


def test_a_404_in_french_is_french(alice_client, alice):
    response = alice_client.get("/nowhere/", HTTP_ACCEPT_LANGUAGE="fr")
    page = response.content.decode()
    assert response.status_code == 404 and '<html lang="fr">' in page
    assert "Cette page n’existe pas" in page and "Retour à Aujourd’hui" in page
    save_settings(alice, language="fr")
    assert "Cette page n’existe pas" in alice_client.get("/nowhere/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_a_form_without_its_token_gets_the_403_page(csrf_client):
    response = csrf_client.post("/settings/", {"language": "fr"})
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()


def test_a_bad_host_gets_the_400_page(alice):
    response = Client().get("/login/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "This request could not be understood" in response.content.decode()


def test_a_crash_gets_the_500_page(alice_client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("restons.web.views.today.today_page", broken)
    alice_client.raise_request_exception = False
    response = alice_client.get("/", HTTP_ACCEPT_LANGUAGE="fr")
    page = response.content.decode()
    assert response.status_code == 500
    assert "Un problème de notre côté" in page and "boom" not in page


def test_the_500_page_renders_without_the_database(django_db_blocker, settings):
    """GIVEN the database cannot be reached at all WHEN the 500 handler runs THEN it still answers its page."""
    from restons.web.views.errors import server_error

    request = RequestFactory().get("/")
    with django_db_blocker.block():
        response = server_error(request)
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_the_handlers_are_ours():
    from restons.web import urls

    assert urls.handler404 == "restons.web.views.errors.page_not_found"
    assert urls.handler500 == "restons.web.views.errors.server_error"
