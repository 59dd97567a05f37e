"""``today``, ``stats``, ``circle``, ``event``, ``milestone``, ``content``, ``outcome`` and ``leave``."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from restons.models import Circle, Content, Event, Interaction, Milestone, Outcome, Person, Pledge

from .conftest import PARIS

pytestmark = pytest.mark.usefixtures("frozen")

TODAY_FIELDS = {"person", "reasons", "draft", "next_due"}
STATS_FIELDS = {"people", "status", "reciprocity", "pledges", "outcomes", "noticed"}


def names(entries):
    return [entry["person"]["name"] for entry in entries]


def reason_kinds(entry):
    return [reason["kind"] for reason in entry["reasons"]]


@pytest.fixture
def network(restons, alice):
    """On 15 June 2026: Bruno is 45 days overdue, Inès wrote 5 days ago, Chloé is due today, David is on track."""
    restons.ok("person", "add", "Bruno Petit", "--every", "30d")
    restons.ok("ping", "Bruno", "--at", "2026-04-01T10:00")
    restons.ok("person", "add", "Inès Laurent")
    restons.ok("ping", "Inès", "--from-them", "--at", "2026-06-10T09:00")
    restons.ok("person", "add", "Chloé Roux", "--every", "30d")
    restons.ok("ping", "Chloé", "--together", "--at", "2026-05-16T20:00")
    restons.ok("person", "add", "David Blanc", "--every", "30d")
    restons.ok("ping", "David", "--at", "2026-06-01")
    return {row["name"]: row["id"] for row in restons.ok("person", "list", "--json").json}


def test_today_json_is_the_documented_list(restons, network):
    """GIVEN Bruno 45 days overdue, a reply owed to Inès (untracked), Chloé due today and David on track
    WHEN  `today --json` runs
    THEN  the three are listed in priority order with their reasons, drafts and next due dates, David is not.

    Priority (docs/engine.md): Bruno (2 + 45/30) × 1.0 = 3.5; Inès 3 × 1.3, halved as untracked = 1.95;
    Chloé 1.0 × 1.5 = 1.5.
    """
    entries = restons.ok("today", "--json").json

    for entry in entries:
        assert TODAY_FIELDS <= entry.keys()
    assert [{key: entry[key] for key in TODAY_FIELDS} for entry in entries] == [
        {
            "person": {"id": network["Bruno Petit"], "name": "Bruno Petit"},
            "reasons": [{"kind": "overdue", "text": "45 days overdue; last in touch on 1 April 2026"}],
            "draft": "Hi Bruno, it has been a while! How are you doing?",
            "next_due": "2026-05-01",
        },
        {
            "person": {"id": network["Inès Laurent"], "name": "Inès Laurent"},
            "reasons": [{"kind": "reply-owed", "text": "They reached out 5 days ago and are waiting for your reply"}],
            "draft": "Hi Inès, thank you for your message, and sorry for the slow reply! How are you?",
            "next_due": None,
        },
        {
            "person": {"id": network["Chloé Roux"], "name": "Chloé Roux"},
            "reasons": [{"kind": "due", "text": "Due: last in touch on 16 May 2026"}],
            "draft": "Hi Chloé, it has been a while! How are you doing?",
            "next_due": "2026-06-15",
        },
    ]


def test_today_limit_keeps_the_first_entries(restons, network):
    assert names(restons.ok("today", "--limit", "2", "--json").json) == ["Bruno Petit", "Inès Laurent"]


def test_today_limit_defaults_to_the_setting(restons, network, monkeypatch):
    monkeypatch.setenv("RESTONS_TODAY_LIMIT", "1")

    assert names(restons.ok("today", "--json").json) == ["Bruno Petit"]


def test_today_date_plans_ahead(restons, network):
    """On 1 July David becomes due; Chloé is overdue; Inès's message is still unanswered."""
    entries = restons.ok("today", "--date", "2026-07-01", "--json").json

    assert sorted(names(entries)) == ["Bruno Petit", "Chloé Roux", "David Blanc", "Inès Laurent"]
    by_name = {entry["person"]["name"]: entry for entry in entries}
    assert reason_kinds(by_name["David Blanc"]) == ["due"]
    assert by_name["Chloé Roux"]["reasons"] == [
        {"kind": "overdue", "text": "16 days overdue; last in touch on 16 May 2026"}
    ]


def test_today_table_shows_names_reasons_and_drafts(restons, network):
    out = restons.ok("today").out

    assert f"1. Bruno Petit  #{network['Bruno Petit']}" in out
    assert "reply owed: They reached out 5 days ago" in out
    assert "Hi Bruno, it has been a while! How are you doing?" in out


def test_today_with_nobody_due(restons, alice):
    assert restons.ok("today", "--json").json == []
    assert "Nobody to ping today" in restons.ok("today").out


def test_circle_add_every_sets_the_cadence_of_its_members(restons, alice):
    """GIVEN Bruno in circle Friends (no cadence yet), last seen on 1 June
    WHEN  `circle add Friends --every 2w` runs
    THEN  Bruno's cadence is 14 days and he is due on 15 June; the circle is not duplicated.
    """
    restons.ok("person", "add", "Bruno Petit", "--circle", "Friends")
    restons.ok("ping", "Bruno", "--at", "2026-06-01")
    assert restons.ok("person", "show", "Bruno", "--json").json["cadence_days"] is None

    result = restons.ok("circle", "add", "friends", "--every", "2w")

    assert result.out == "Circle Friends is ready.\n"
    assert list(Circle.objects.values_list("name", "cadence_days")) == [("Friends", 14)]
    detail = restons.ok("person", "show", "Bruno", "--json").json
    assert (detail["cadence_days"], detail["next_due"], detail["status"]) == (14, "2026-06-15", "due")


def test_the_shortest_circle_cadence_wins_and_a_persons_own_cadence_beats_both(restons, alice):
    restons.ok("circle", "add", "Alumni", "--every", "3m")
    restons.ok("circle", "add", "Friends", "--every", "1m")
    restons.ok("person", "add", "Bruno Petit", "--circle", "Alumni", "--circle", "Friends")
    assert restons.ok("person", "show", "Bruno", "--json").json["cadence_days"] == 30

    restons.ok("person", "edit", "Bruno", "--every", "1y")

    assert restons.ok("person", "show", "Bruno", "--json").json["cadence_days"] == 365


def test_event_add_gives_a_hook_to_people_who_follow_a_topic(restons, alice):
    restons.ok("person", "add", "Zoé Lefèvre", "--interest", "Football")
    restons.ok("person", "add", "Maya Patel", "--interest", "running")

    result = restons.ok("event", "add", "Cup final", "--on", "2026-06-20", "--topic", "FOOTBALL", "--topic", "cup")

    assert result.out == "Added event Cup final on 20 June 2026.\n"
    assert list(Event.objects.values_list("title", "topics")) == [("Cup final", ["cup", "football"])]
    (entry,) = restons.ok("today", "--json").json
    assert entry["person"]["name"] == "Zoé Lefèvre"
    assert entry["reasons"] == [{"kind": "event", "text": "Cup final is on Saturday 20 June; they follow football"}]
    assert entry["draft"] == "Hi Zoé, Cup final is on Saturday 20 June. Are you going? It made me think of you."
    # The hook opens 7 days before: not on 12 June.
    assert restons.ok("today", "--date", "2026-06-12", "--json").json == []


def test_milestone_add_person_yearly_gives_a_hook_the_week_before(restons, alice):
    restons.ok("person", "add", "Inès Laurent")

    result = restons.ok("milestone", "add", "Birthday", "--on", "1990-06-18", "--person", "Inès", "--yearly")

    assert result.out == "Added milestone Birthday on 18 June 1990.\n"
    (milestone,) = Milestone.objects.all()
    assert (milestone.person.name, milestone.yearly) == ("Inès Laurent", True)
    (entry,) = restons.ok("today", "--json").json
    assert entry["reasons"] == [{"kind": "milestone", "text": "Birthday on Thursday 18 June"}]
    assert entry["draft"] == "Hi Inès, your birthday is coming up on Thursday 18 June. Happy birthday in advance!"
    assert restons.ok("today", "--date", "2027-06-11", "--json").json[0]["reasons"][0]["text"] == (
        "Birthday on Friday 18 June"
    )


def test_milestone_add_mine_is_news_for_mutual_people_and_is_noticed(restons, alice):
    """GIVEN Camille (mutual) and Bruno (you carry it)
    WHEN  you add your own milestone dated yesterday and Camille writes today
    THEN  Camille gets the "your news" hook, Bruno does not; stats suggests Camille as having noticed,
          and lists her once you confirm it.
    """
    restons.ok("person", "add", "Camille Martin")
    restons.ok("ping", "Camille", "--from-them", "--at", "2026-05-01")
    restons.ok("ping", "Camille", "--at", "2026-05-02")
    restons.ok("person", "add", "Bruno Petit")
    restons.ok("ping", "Bruno", "--at", "2026-05-01")

    restons.ok("milestone", "add", "Ten years of my business", "--on", "2026-06-14", "--mine")

    (entry,) = restons.ok("today", "--json").json
    assert entry["person"]["name"] == "Camille Martin"
    assert entry["reasons"] == [{"kind": "milestone",
                                 "text": "Your news: Ten years of my business (Sunday 14 June); they might like to hear it"}]
    assert entry["draft"] == "Hi Camille, some news from me: Ten years of my business. How are things with you?"
    restons.ok("ping", "Camille", "--from-them", "--note", "Congrats!")
    (noticed,) = restons.ok("stats", "--json").json["noticed"]
    assert (noticed["title"], noticed["people"]) == ("Ten years of my business", [])
    assert [(s["name"], s["summary"]) for s in noticed["suggested"]] == [("Camille Martin", "Congrats!")]
    assert "Wrote to you in the 30 days after, to confirm or dismiss: Camille Martin (15 Jun 2026)" in \
        restons.ok("stats").out

    assert restons.ok("noticed", "confirm", "ten years", "Camille").out == "Camille Martin noticed “Ten years of my business”.\n"

    (noticed,) = restons.ok("stats", "--json").json["noticed"]
    camille = Person.objects.get(name="Camille Martin")
    assert (noticed["people"], noticed["suggested"]) == ([{"id": camille.id, "name": "Camille Martin"}], [])
    assert Interaction.objects.get(summary="Congrats!").milestone.title == "Ten years of my business"


def test_content_add_gives_a_hook_for_two_weeks_to_people_who_follow_a_topic(restons, alice):
    restons.ok("person", "add", "Ava Nguyen", "--interest", "Strategy")

    result = restons.ok("content", "add", "Issue 42", "--on", "2026-06-12", "--kind", "newsletter",
                        "--topic", "strategy", "--url", "https://news.example/42")

    assert result.out == "Added Issue 42.\n"
    assert list(Content.objects.values_list("title", "kind", "topics", "url")) == [
        ("Issue 42", "newsletter", ["strategy"], "https://news.example/42")
    ]
    (entry,) = restons.ok("today", "--json").json
    assert entry["reasons"] == [{"kind": "content", "text": "You published “Issue 42”; they follow strategy"}]
    assert entry["draft"] == "Hi Ava, I just published “Issue 42” and thought of you, as you follow strategy."
    assert restons.ok("today", "--date", "2026-06-26", "--json").json != []
    assert restons.ok("today", "--date", "2026-06-27", "--json").json == []


def test_content_kind_defaults_to_post(restons, alice):
    restons.ok("content", "add", "A post", "--on", "2026-06-12")

    assert Content.objects.get().kind == "post"


def test_outcome_add_is_counted_in_person_show_and_stats(restons, alice):
    restons.ok("person", "add", "Oliver Grant")

    result = restons.ok("outcome", "add", "Oliver", "--kind", "client", "--note", "Signed")
    restons.ok("outcome", "add", "Oliver", "--kind", "Intro", "--at", "2026-01-05")

    assert result.out == "Logged an outcome with Oliver Grant: client.\n"
    assert list(Outcome.objects.order_by("at").values_list("kind", "at", "note")) == [
        ("intro", date(2026, 1, 5), ""),
        ("client", date(2026, 6, 15), "Signed"),
    ]
    assert restons.ok("person", "show", "Oliver", "--json").json["outcomes"] == [
        {"kind": "intro", "at": "2026-01-05", "note": ""},
        {"kind": "client", "at": "2026-06-15", "note": "Signed"},
    ]
    outcomes = restons.ok("stats", "--json").json["outcomes"]
    assert outcomes == {"referral-given": 0, "referral-received": 0, "client": 1, "job-lead": 0, "intro": 1,
                        "meetup": 0, "collaboration": 0, "friendship": 0}


def test_outcome_in_the_future_is_refused(restons, alice):
    restons.ok("person", "add", "Oliver Grant")

    result = restons("outcome", "add", "Oliver", "--kind", "client", "--at", "2026-06-16")

    assert (result.code, result.err) == (1, "restons: 2026-06-16 is in the future; log an outcome once it happened\n")
    assert not Outcome.objects.exists()


def test_leave_makes_a_pledge_with_a_first_ping_hook(restons, alice):
    """GIVEN Noah and Léa, both pinged before you left
    WHEN  `leave "Lumen Agency" --on 2026-06-10 --person Noah --person Léa`
    THEN  the pledge is stored with the default cadence and both get the pledge reason until you ping them.
    """
    restons.ok("person", "add", "Noah Bennett")
    restons.ok("person", "add", "Léa Dubois")
    restons.ok("ping", "Noah", "--at", "2026-05-01")

    result = restons.ok("leave", "Lumen Agency", "--on", "2026-06-10", "--person", "Noah", "--person", "Léa")

    assert result.out == "Pledge for Lumen Agency on 10 June 2026: 2 people, first ping within 14 days.\n"
    (pledge,) = Pledge.objects.all()
    assert (pledge.organisation.name, str(pledge.on), pledge.cadence_days, pledge.first_window_days) == (
        "Lumen Agency", "2026-06-10", 90, 14)
    entries = restons.ok("today", "--json").json
    assert sorted(names(entries)) == ["Léa Dubois", "Noah Bennett"]
    for entry in entries:
        assert entry["reasons"][0] == {
            "kind": "pledge",
            "text": "You promised to stay in touch when you left Lumen Agency; first ping by 24 June 2026",
        }
        first = entry["person"]["name"].split()[0]
        assert entry["draft"] == (
            f"Hi {first}, as promised when I left Lumen Agency: let's stay in touch! How are things going?"
        )

    restons.ok("ping", "Noah", "--via", "email")

    assert names(restons.ok("today", "--json").json) == ["Léa Dubois"]


def test_leave_defaults_to_today_and_every_sets_the_cadence(restons, alice):
    restons.ok("person", "add", "Noah Bennett")

    restons.ok("leave", "Acme", "--person", "Noah", "--every", "2m")

    pledge = Pledge.objects.get()
    assert (str(pledge.on), pledge.cadence_days) == ("2026-06-15", 60)
    assert restons.ok("person", "show", "Noah", "--json").json["cadence_days"] == 60
    stats = restons.ok("stats", "--json").json
    # A pledge made today has kept nothing and broken nothing: in progress, not "100 %".
    assert [{k: p[k] for k in ("org", "people", "adherence", "pending", "pinged", "days_left", "first_ping_by")}
            for p in stats["pledges"]] == [
        {"org": "Acme", "people": 1, "adherence": None, "pending": 1, "pinged": 0, "days_left": 14,
         "first_ping_by": "2026-06-29"}
    ]
    assert "in progress: 0 of 1 pinged, 14 days left" in restons.ok("stats").out


def test_stats_json_has_every_documented_field(restons, network):
    """GIVEN the four-person network, an outcome, a pledge and one of your milestones
    WHEN  `stats --json` runs
    THEN  each documented field counts exactly what the network holds.
    """
    restons.ok("outcome", "add", "David", "--kind", "meetup")
    restons.ok("leave", "Acme", "--on", "2026-05-31", "--person", "Bruno", "--person", "David")
    restons.ok("milestone", "add", "First semester teaching", "--on", "2026-06-05", "--mine")

    stats = restons.ok("stats", "--json").json

    assert STATS_FIELDS <= stats.keys()
    assert stats["people"] == 4
    assert stats["status"] == {"on-track": 1, "due": 1, "overdue": 1, "dormant": 0, "untracked": 1}
    assert stats["reciprocity"] == {"mutual": 1, "you-carry": 2, "they-carry": 1, "silent": 0}
    # Bruno: no ping since the pledge, whose 14-day window closed on 14 June: not kept. David: pinged 1 June.
    assert [{k: p[k] for k in ("org", "people", "adherence")} for p in stats["pledges"]] == [
        {"org": "Acme", "people": 2, "adherence": 0.5}
    ]
    assert stats["outcomes"]["meetup"] == 1 and sum(stats["outcomes"].values()) == 1
    inbound = Interaction.objects.get(person_id=network["Inès Laurent"], direction="in")
    assert stats["noticed"] == [
        {"id": Milestone.objects.get(title="First semester teaching").id,
         "title": "First semester teaching", "on": "2026-06-05", "people": [],
         "suggested": [{"id": network["Inès Laurent"], "name": "Inès Laurent", "interaction": inbound.id,
                        "at": "2026-06-10T09:00:00+02:00", "summary": inbound.summary}]}
    ]


def test_stats_date_and_table(restons, network):
    assert restons.ok("stats", "--date", "2026-07-01", "--json").json["status"]["overdue"] == 2

    out = restons.ok("stats").out

    assert "4 people on 15 June 2026" in out


def test_stats_json_pledge_adherence_over_several_quarters(restons, alice, frozen):
    """GIVEN a pledge made on leaving Acme on 10 January 2026 (every 30 days, grace 7) to Ana and Bruno,
          Ana pinged regularly, Bruno pinged before the pledge, on 20 June, and writing on 14 October
    WHEN  `stats --json` runs on 15 October 2026
    THEN  the quarters are checked on their last day (today for Q4): Ana kept in all four,
          Bruno in Q2 and Q4 only, so adherence is (1/2 + 2/2 + 1/2 + 2/2) / 4 = 0.75.
    """
    frozen.move_to(datetime(2026, 10, 15, 12, 0, tzinfo=PARIS), tick=False)
    restons.ok("person", "add", "Ana Lopes")
    restons.ok("person", "add", "Bruno Petit")
    for day in ("2026-01-15", "2026-03-20", "2026-06-25", "2026-09-01", "2026-10-01"):
        restons.ok("ping", "Ana", "--at", day)
    restons.ok("ping", "Bruno", "--at", "2025-12-01")
    restons.ok("ping", "Bruno", "--at", "2026-06-20")
    restons.ok("ping", "Bruno", "--from-them", "--at", "2026-10-14")
    restons.ok("leave", "Acme", "--on", "2026-01-10", "--person", "Ana", "--person", "Bruno", "--every", "30d")

    (pledge,) = restons.ok("stats", "--json").json["pledges"]

    assert {key: pledge[key] for key in ("org", "on", "people", "cadence_days", "adherence")} == {
        "org": "Acme", "on": "2026-01-10", "people": 2, "cadence_days": 30, "adherence": 0.75,
    }
    assert [(q["quarter"], q["kept"]) for q in pledge["quarters"]] == [
        ("2026-Q1", 1), ("2026-Q2", 2), ("2026-Q3", 1), ("2026-Q4", 2),
    ]
    # As of 31 March only the first quarter counts; on 20 January the first-ping window is still open:
    # nothing is counted yet, Ana got her first ping, Bruno waits for his.
    assert restons.ok("stats", "--date", "2026-03-31", "--json").json["pledges"][0]["adherence"] == 0.5
    early = restons.ok("stats", "--date", "2026-01-20", "--json").json["pledges"][0]
    assert {k: early[k] for k in ("adherence", "quarters", "pending", "pinged", "days_left")} == {
        "adherence": None, "quarters": [], "pending": 1, "pinged": 1, "days_left": 4,
    }
    assert "Acme" in restons.ok("stats").out and "75%" in restons.ok("stats").out


def test_stats_writes_counts_of_thousands_grouped(restons, alice):
    """"1,234 people on 15 June 2026", and the status table's counts grouped and right-aligned."""
    from restons.services import checkups

    Person.objects.bulk_create(Person(owner=alice, name=f"Person {n:04d}", created_at=datetime(2026, 1, 1, tzinfo=PARIS))
                               for n in range(1234))
    checkups.forget(alice.pk)  # (bulk_create sends no signal)
    out = restons.ok("stats").out
    assert "1,234 people on 15 June 2026" in out
    assert "1,234 │" in out  # every one untracked, right-aligned against the border
