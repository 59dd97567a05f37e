"""The demo tells three years: someone who drifted, someone who came back, a pledge kept and one not.

It is the same for the same seed, marks its people, and speaks the user's language.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from restons.models import Circle, Content, Event, Interaction, Interest, Milestone, Organisation, Outcome, Person
from restons.services.demo import demo_people, fill_demo
from restons.services.stats import stats

pytestmark = pytest.mark.usefixtures("frozen")


def pings_per_year(person) -> list[int]:
    """Pings in each of the last three years, the oldest first."""
    today = timezone.localdate()
    counts = Counter(
        min(2, (today - timezone.localtime(at).date()).days // 365)
        for at in Interaction.objects.filter(person=person).values_list("at", flat=True)
    )
    return [counts[2], counts[1], counts[0]]


def test_the_demo_tells_a_story_the_review_can_show(alice):
    """GIVEN an empty instance
    WHEN  the demo fills it
    THEN  Léa drifted (many pings in the first year, none in the last), Maya came back (silent for a year,
          several pings in the last months), the Lumen pledge is kept and the Orbit one is not, and outcomes,
          milestones and newsletter replies are spread over the three years.
    """
    fill_demo(alice)

    lea, maya = Person.objects.get(name="Léa Dubois"), Person.objects.get(name="Maya Patel")
    first, second, last = pings_per_year(lea)
    assert first >= 8 and second < first and last == 0
    today = timezone.localdate()
    maya_days = sorted((today - timezone.localtime(at).date()).days for at in maya.interactions.values_list("at", flat=True))
    assert maya_days[0] <= 14 and maya_days[-1] >= 2.5 * 365
    assert not [d for d in maya_days if 120 < d < 700]  # a year of silence
    assert len([d for d in maya_days if d <= 120]) >= 6  # then she came back
    pledges = {p["org"]: p for p in stats(alice)["pledges"]}
    assert pledges["Lumen Agency"]["adherence"] == 1.0 and pledges["Lumen Agency"]["people"] == 3
    assert pledges["Orbit Consulting"]["adherence"] < 0.5 and pledges["Orbit Consulting"]["people"] == 2
    outcome_years = {(today - at).days // 365 for at in Outcome.objects.filter(owner=alice).values_list("at", flat=True)}
    assert outcome_years == {0, 1, 2}
    noticed = {item["title"]: [p["name"] for p in item["people"]] for item in stats(alice)["noticed"]}
    assert noticed["Launched my own studio"] and noticed["My first semester teaching"] == ["Chloé Roux"]
    replies = Interaction.objects.filter(owner=alice, content__isnull=False)
    assert {r.person.name for r in replies} == {"Chloé Roux"} and replies.count() == 2


def test_today_shows_varied_reasons(alice):
    from restons.services.today import today_list

    fill_demo(alice)

    entries = today_list(alice)
    kinds = {reason["kind"] for entry in entries for reason in entry["reasons"]}
    assert len(entries) == 5
    assert {"reply-owed", "event", "milestone", "overdue"} <= kinds


def test_the_demo_people_are_marked_as_such(alice):
    fill_demo(alice)
    Person.objects.create(owner=alice, name="Added later", created_at=timezone.now())

    assert demo_people(alice).count() == 12
    assert not demo_people(alice).filter(name="Added later").exists()


def test_the_same_seed_gives_the_same_network_and_another_seed_another(alice, bob):
    fill_demo(alice, seed=3)
    fill_demo(bob, seed=3)

    def pings(owner):
        return sorted(Interaction.objects.filter(owner=owner).values_list("person__name", "at", "direction", "channel"))

    assert pings(alice) == pings(bob)
    Person.objects.filter(owner=bob).delete()
    fill_demo(bob, seed=4)
    assert pings(alice) != pings(bob)


def texts(owner) -> set[str]:
    """Every text the demo writes, but names of people and addresses."""
    found = set()
    found |= set(Circle.objects.filter(owner=owner).values_list("name", flat=True))
    found |= set(Organisation.objects.filter(owner=owner).values_list("name", flat=True))
    found |= set(Interest.objects.filter(owner=owner).values_list("topic", flat=True))
    found |= set(Person.objects.filter(owner=owner).exclude(met_how="").values_list("met_how", flat=True))
    found |= set(Interaction.objects.filter(owner=owner).exclude(summary="").values_list("summary", flat=True))
    for model in (Event, Milestone, Content):
        found |= set(model.objects.filter(owner=owner).values_list("title", flat=True))
    for topics in [*Event.objects.filter(owner=owner).values_list("topics", flat=True),
                   *Content.objects.filter(owner=owner).values_list("topics", flat=True)]:
        found |= set(topics)
    found |= set(Outcome.objects.filter(owner=owner).exclude(note="").values_list("note", flat=True))
    return found


def test_the_demo_is_entirely_in_the_users_language(alice, bob):
    """GIVEN alice's demo made in English and bob's in French
    THEN  no text of bob's demo is English: every circle, organisation, topic, title, note and how-we-met differs,
          except words French shares with English (football, design, podcasts)."""
    fill_demo(alice)
    with translation.override("fr"):
        fill_demo(bob)

    english, french = texts(alice), texts(bob)
    assert english & french == {"football", "design", "podcasts"}
    assert {"Anciens de l’agence", "Association RP", "Amis", "Agence Lumen", "Orbit Conseil"} <= french
    assert {"escalade", "relations publiques", "lettres d’information"} <= french
    assert "Finale de la coupe\u00a0: Lyon – Nantes" in french
    assert "Numéro 42\u00a0: l’art du petit signe" in french
    assert len(english) == len(french)
    bob_pledges = [p["org"] for p in stats(bob)["pledges"]]
    assert bob_pledges == ["Agence Lumen", "Orbit Conseil"]
    # The same story whatever the language.
    assert Interaction.objects.filter(owner=alice).count() == Interaction.objects.filter(owner=bob).count()
    assert Event.objects.get(owner=bob, topics=["football"]).on == timezone.localdate() + timedelta(days=4)
