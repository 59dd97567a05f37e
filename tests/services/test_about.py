"""What a ping is about: finding the title, linking the ping, and what the links tell (who engaged)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from restons.models import Interaction
from restons.services import about
from restons.services.errors import NotFound, UserError
from restons.services.interactions import log_ping
from restons.services.planning import add_content, add_event, add_milestone

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def items(alice, person):
    """Your milestone, two pieces of content, two events (one sharing the milestone's title), and Ana's birthday."""
    ana = person("Ana Lopes")
    return {
        "launch": add_milestone(alice, "Launch of the studio", date(2026, 6, 1), None, False),
        "issue 12": add_content(alice, "Issue 12: measuring PR", date(2026, 6, 5), "newsletter", ["pr"]),
        "issue 13": add_content(alice, "Issue 13: the press kit", date(2026, 6, 12), "newsletter", ["pr"]),
        "launch party": add_event(alice, "Launch of the studio", date(2026, 6, 20), ["design"]),
        "final": add_event(alice, "Cup final", date(2026, 6, 20), ["football"]),
        "birthday": add_milestone(alice, "Birthday", date(1990, 6, 18), ana, True),
        "ana": ana,
    }


class TestFindAbout:
    def test_a_title_in_any_case_or_its_beginning(self, alice, items):
        assert about.find_about(alice, "cup FINAL") == items["final"]
        assert about.find_about(alice, "  Issue 12 ") == items["issue 12"]
        assert about.find_about(alice, "press kit") == items["issue 13"]  # a word of it, when nothing begins so

    def test_ambiguous_titles_list_the_candidates_and_how_to_name_each(self, alice, items):
        launch, party = items["launch"], items["launch party"]
        with pytest.raises(UserError) as error:
            about.find_about(alice, "launch of the studio")
        assert str(error.value) == (
            f"“launch of the studio” could be: milestone “Launch of the studio” (2026-06-01, milestone:#{launch.id}); "
            f"event “Launch of the studio” (2026-06-20, event:#{party.id}); give one of these"
        )
        assert about.find_about(alice, "event:launch of the studio") == party
        assert about.find_about(alice, f"milestone:#{launch.id}") == launch
        with pytest.raises(UserError, match="could be: content “Issue 13"):
            about.find_about(alice, "issue 1")

    def test_unknown_titles_and_other_peoples_things_are_not_found(self, alice, bob, items):
        with pytest.raises(UserError, match="^None of your milestones, content or events is called “Gala”.$"):
            about.find_about(alice, "Gala")
        # Ana's birthday is hers, not yours: a ping cannot be "about" it.
        with pytest.raises(UserError, match="None of your milestones is called “Birthday”"):
            about.find_about(alice, "milestone:Birthday")
        with pytest.raises(UserError, match=f"You have no milestone #{items['birthday'].id}"):
            about.find_about(alice, f"milestone:#{items['birthday'].id}")
        with pytest.raises(UserError, match="None of your"):
            about.find_about(bob, "Cup final")
        with pytest.raises(UserError, match="Say what the ping is about"):
            about.find_about(alice, " ")
        with pytest.raises(UserError, match="That title is 301 characters long"):
            about.find_about(alice, "x" * 301)

    def test_the_web_suggestions_each_resolve_to_their_item(self, alice, items):
        choices = about.about_choices(alice, date(2026, 6, 15))
        values = [value for value, _label in choices]
        assert values[:2] == ["Issue 13: the press kit", "Cup final"]  # the nearest first
        assert f"milestone:#{items['launch'].id}" in values and f"event:#{items['launch party'].id}" in values
        assert "Birthday" not in values
        assert {about.find_about(alice, value) for value in values} == {
            items[key] for key in ("launch", "issue 12", "issue 13", "launch party", "final")
        }


class TestLinks:
    def test_a_ping_about_each_kind(self, alice, items):
        ana = items["ana"]
        on_milestone = log_ping(alice, ana, direction="in", about=items["launch"])
        on_content = log_ping(alice, ana, direction="in", about=items["issue 12"])
        on_event = log_ping(alice, ana, about=items["final"])
        stored = {i.pk: (i.milestone_id, i.content_id, i.event_id) for i in Interaction.objects.all()}
        assert stored == {
            on_milestone.pk: (items["launch"].id, None, None),
            on_content.pk: (None, items["issue 12"].id, None),
            on_event.pk: (None, None, items["final"].id),
        }
        assert [i.about for i in (on_milestone, on_content, on_event)] == [
            items["launch"], items["issue 12"], items["final"]]

    def test_someone_elses_milestone_or_another_users_item_is_refused_and_nothing_is_written(self, alice, bob, items):
        with pytest.raises(UserError, match="“Birthday” is someone's milestone"):
            log_ping(alice, items["ana"], about=items["birthday"])
        bobs = add_event(bob, "Bob's gala", date(2026, 6, 20), [])
        with pytest.raises(NotFound):
            log_ping(alice, items["ana"], about=bobs)
        assert Interaction.objects.count() == 0

    def test_the_database_refuses_a_ping_about_two_things(self, alice, items):
        ping = log_ping(alice, items["ana"], about=items["final"])
        with pytest.raises(IntegrityError), transaction.atomic():
            Interaction.objects.filter(pk=ping.pk).update(content=items["issue 12"])

    def test_deleting_the_item_keeps_the_ping(self, alice, items):
        ping = log_ping(alice, items["ana"], about=items["final"])
        items["final"].delete()
        ping.refresh_from_db()
        assert ping.event_id is None


def test_a_contents_page_lists_who_engaged_and_whom_you_sent_it_to(alice, person, ping, items):
    """GIVEN you sent issue 12 to Ana and Bruno, and Bruno thanked you for it
    THEN  the pings about it list both, Bruno's reply first (the latest)."""
    bruno = person("Bruno Petit")
    ping(items["ana"], "2026-06-05 10:00", channel="email", about=items["issue 12"])
    ping(bruno, "2026-06-05 10:01", channel="email", about=items["issue 12"])
    thanks = ping(bruno, "2026-06-07 08:30", direction="in", channel="email", note="thanks for the newsletter",
                  about=items["issue 12"])
    ping(bruno, "2026-06-08 08:30", direction="in", about=items["issue 13"])

    pings = about.pings_about(alice, items["issue 12"])

    assert [(p["person"]["name"], p["direction"], p["at"], p["summary"]) for p in pings] == [
        ("Bruno Petit", "in", "2026-06-07T08:30:00+02:00", "thanks for the newsletter"),
        ("Bruno Petit", "out", "2026-06-05T10:01:00+02:00", ""),
        ("Ana Lopes", "out", "2026-06-05T10:00:00+02:00", ""),
    ]
    assert pings[0]["interaction"] == thanks.id


def test_another_users_item_has_no_pings_for_you(bob, items):
    with pytest.raises(NotFound):
        about.pings_about(bob, items["issue 12"])
    with pytest.raises(NotFound):
        about.milestone_noticed(bob, items["launch"])
