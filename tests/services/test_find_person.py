"""PERSON resolution: an id, an identity in any spelling, an exact name or a unique prefix."""

from __future__ import annotations

import pytest

from restons.services.errors import UserError
from restons.services.people import find_person


@pytest.fixture
def camille(person):
    return person("Camille Martin", emails=["Camille.Martin@Example.com"], phones=["06 12 34 56 78"],
                  linkedin="https://www.linkedin.com/in/camille-martin/")


@pytest.fixture
def others(person):
    return [person("Camille Martinez"), person("Bruno Petit"), person("Chloé Roux")]


def test_by_id(alice, camille, others):
    assert find_person(alice, str(camille.id)) == camille
    assert find_person(alice, f"  {others[1].id} ") == others[1]


@pytest.mark.parametrize("text", ["camille.martin@example.com", "CAMILLE.MARTIN@EXAMPLE.COM",
                                  "Camille.Martin@example.COM", " camille.martin@example.com ",
                                  "mailto:camille.martin@example.com"])
def test_by_email_in_any_case(alice, camille, others, text):
    assert find_person(alice, text) == camille


@pytest.mark.parametrize("text", ["+33612345678", "+33 6 12 34 56 78", "06 12 34 56 78", "0612345678",
                                  "06.12.34.56.78", "06-12-34-56-78", "(0)6 12 34 56 78", "tel:+33612345678"])
def test_by_phone_in_another_spelling(alice, camille, others, text):
    assert find_person(alice, text) == camille


def test_by_phone_stored_in_international_form_and_typed_nationally(alice, person):
    bruno = person("Bruno Petit", phones=["+33 7 98 76 54 32"])

    assert find_person(alice, "07 98 76 54 32") == bruno


def test_phone_without_plus_follows_the_default_region(alice, person, monkeypatch):
    bruno = person("Bruno Petit", phones=["+1 415 555 0134"])
    monkeypatch.setenv("RESTONS_DEFAULT_REGION", "US")

    assert find_person(alice, "(415) 555-0134") == bruno


@pytest.mark.parametrize("text", [
    "https://www.linkedin.com/in/camille-martin",
    "https://www.linkedin.com/in/camille-martin/",
    "https://www.linkedin.com/in/camille-martin?trk=people-guest",
    "https://www.linkedin.com/in/camille-martin/?originalSubdomain=fr",
    "http://www.linkedin.com/in/camille-martin",
    "https://fr.linkedin.com/in/camille-martin",
    "linkedin.com/in/camille-martin",
    "HTTPS://WWW.LINKEDIN.COM/IN/CAMILLE-MARTIN/",
    "https://www.linkedin.com/in/Camille-Martin#about",
])
def test_by_linkedin_url_variants(alice, camille, others, text):
    assert find_person(alice, text) == camille


@pytest.mark.parametrize("text", ["Camille Martin", "camille martin", "CAMILLE MARTIN", " Camille Martin "])
def test_an_exact_name_wins_over_a_longer_name_with_the_same_start(alice, camille, others, text):
    assert find_person(alice, text) == camille


@pytest.mark.parametrize("text, name", [("Bru", "Bruno Petit"), ("bruno", "Bruno Petit"), ("Chl", "Chloé Roux"),
                                        ("Camille Martine", "Camille Martinez")])
def test_by_unique_prefix(alice, camille, others, text, name):
    assert find_person(alice, text).name == name


def test_an_ambiguous_prefix_lists_the_candidates(alice, camille, others):
    with pytest.raises(UserError) as error:
        find_person(alice, "Cam")

    assert str(error.value) == (
        f"'Cam' matches several people: Camille Martin (#{camille.id}), Camille Martinez (#{others[0].id}); "
        "give more of the name or the #id"
    )


@pytest.mark.parametrize("text", ["Zelda", "zelda@example.com", "+33 6 00 00 00 00", "999999",
                                  "https://www.linkedin.com/in/someone-else"])
def test_unknown_is_an_error(alice, camille, others, text):
    with pytest.raises(UserError, match=r"^No person matches .*; see 'restons person list'$"):
        find_person(alice, text)


def test_blank_is_an_error(alice, camille):
    with pytest.raises(UserError, match="No person given"):
        find_person(alice, "  ")
