"""Bad input exits 1 with one line on stderr naming the reason, and writes nothing."""

from __future__ import annotations

import pytest

from restons.models import Person

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def people(restons, alice):
    """Two Camilles (one with an email), Bruno, and ids by name."""
    restons.ok("person", "add", "Camille Martin", "--email", "camille@example.com")
    restons.ok("person", "add", "Camille Durand")
    restons.ok("person", "add", "Bruno Petit", "--every", "30d")
    restons.ok("ping", "Bruno", "--at", "2026-06-01")
    return dict(Person.objects.values_list("name", "id"))


CASES = [
    pytest.param(["ping", "Zelda"], "No person matches 'Zelda'; see 'restons person list'", id="unknown-person"),
    pytest.param(["person", "show", "Zelda", "--json"], "No person matches 'Zelda'", id="unknown-person-show"),
    pytest.param(["ping", "Bruno", "--at", "2026-13-01"], "'2026-13-01' is not a date and time", id="bad-datetime"),
    pytest.param(["snooze", "Bruno", "--until", "1 July"], "'1 July' is not a date; use the ISO form, e.g. 2026-11-25",
                 id="bad-date"),
    pytest.param(["today", "--date", "tomorrow"], "'tomorrow' is not a date", id="bad-date-today"),
    pytest.param(["event", "add", "Gala", "--on", "2026/07/01"], "'2026/07/01' is not a date", id="bad-date-event"),
    pytest.param(["snooze", "Bruno", "--for", "3 weeks"],
                 "'3 weeks' is not a duration; use a number and a unit, e.g. 10d, 2w, 3m or 1y", id="bad-duration"),
    pytest.param(["snooze", "Bruno", "--for", "0d"], "'0d' is not a duration", id="zero-duration"),
    pytest.param(["circle", "add", "Friends", "--every", "fortnight"], "'fortnight' is not a duration",
                 id="bad-duration-circle"),
    pytest.param(["person", "add", "Ana", "--circle", "New", "--every", "soon"], "'soon' is not a duration",
                 id="bad-duration-person"),
    pytest.param(["ping", "Bruno", "--via", "pigeon"],
                 "unknown channel 'pigeon'; use one of: text, email, call, video, meeting, linkedin, social, "
                 "newsletter, letter, other", id="unknown-channel"),
    pytest.param(["outcome", "add", "Bruno", "--kind", "gift"],
                 "unknown outcome kind 'gift'; use one of: referral-given, referral-received, client, job-lead, "
                 "intro, meetup, collaboration, friendship", id="unknown-outcome-kind"),
    pytest.param(["content", "add", "Ep. 1", "--on", "2026-06-01", "--kind", "video"], "unknown content kind 'video'",
                 id="unknown-content-kind"),
    pytest.param(["ping", "Bruno", "--at", "2026-06-16T09:00"],
                 "2026-06-16T09:00+02:00 is in the future; a ping records something that already happened",
                 id="future-ping"),
    pytest.param(["person", "add", "Camille Other", "--email", "CAMILLE@example.com"],
                 "camille@example.com already belongs to Camille Martin (#{Camille Martin})", id="identity-taken-add"),
    pytest.param(["person", "edit", "Bruno", "--name", "Bruno X", "--email", "camille@example.com"],
                 "camille@example.com already belongs to Camille Martin (#{Camille Martin})", id="identity-taken-edit"),
    pytest.param(["person", "add", "Ana", "--email", "ana-at-example.com", "--circle", "New"],
                 "'ana-at-example.com' is not an email address", id="invalid-email"),
    pytest.param(["person", "add", "Ana", "--email", "ana@example.com", "--email", "nope"],
                 "'nope' is not an email address", id="second-email-invalid"),
    pytest.param(["person", "add", "Ana", "--phone", "12"], "'12' is not a phone number", id="invalid-phone"),
    pytest.param(["person", "add", "Ana", "--linkedin", "https://example.com/ana"],
                 "is not a LinkedIn profile URL", id="invalid-linkedin"),
    pytest.param(["person", "add", "   "], "A person needs a name.", id="blank-name"),
    pytest.param(["ping", "Bruno", "--from-them", "--together"], "Choose --from-them or --together, not both.",
                 id="from-them-and-together"),
    pytest.param(["milestone", "add", "Award", "--on", "2026-07-01", "--mine", "--person", "Bruno"],
                 "Give either --mine or --person PERSON.", id="milestone-both"),
    pytest.param(["milestone", "add", "Award", "--on", "2026-07-01"], "Give either --mine or --person PERSON.",
                 id="milestone-neither"),
    pytest.param(["milestone", "add", "Award", "--on", "2026-07-01", "--person", "Zelda"], "No person matches 'Zelda'",
                 id="milestone-unknown-person"),
    pytest.param(["snooze", "Bruno"], "Give either --until DATE or --for DURATION.", id="snooze-neither"),
    pytest.param(["snooze", "Bruno", "--until", "2026-07-01", "--for", "2w"],
                 "Give either --until DATE or --for DURATION.", id="snooze-both"),
    pytest.param(["leave", "Acme", "--person", "Bruno", "--person", "Zelda"], "No person matches 'Zelda'",
                 id="pledge-unknown-person"),
    pytest.param(["leave", "Acme", "--person", "Bruno", "--every", "quarterly"], "'quarterly' is not a duration",
                 id="pledge-bad-duration"),
    pytest.param(["person", "list", "--status", "late"], "unknown status 'late'; use one of: on-track, due, overdue, "
                 "dormant, untracked", id="unknown-status"),
    pytest.param(["person", "list", "--reciprocity", "balanced"], "unknown reciprocity 'balanced'",
                 id="unknown-reciprocity"),
    pytest.param(["--user", "nobody@example.org", "today"], "No user nobody@example.org on this instance.",
                 id="unknown-user"),
]


@pytest.mark.parametrize("argv, message", CASES)
def test_bad_input_exits_1_with_one_line_and_writes_nothing(restons, people, row_counts, argv, message):
    before = row_counts()
    bruno_before = Person.objects.values().get(name="Bruno Petit")

    result = restons(*argv)

    assert result.code == 1
    assert result.out == ""
    assert result.err.endswith("\n") and result.err.count("\n") == 1, result.err
    assert result.err.startswith("restons: ")
    assert message.format(**people) in result.err
    assert row_counts() == before
    assert Person.objects.values().get(name="Bruno Petit") == bruno_before


def test_ambiguous_person_lists_the_candidates_and_writes_nothing(restons, people, row_counts):
    before = row_counts()

    result = restons("ping", "camille")

    assert result.code == 1
    assert result.err == (
        f"restons: 'camille' matches several people: Camille Durand (#{people['Camille Durand']}), "
        f"Camille Martin (#{people['Camille Martin']}); give more of the name or the #id\n"
    )
    assert row_counts() == before


def test_ambiguous_person_shows_five_candidates_at_most(restons, alice):
    for n in range(7):
        restons.ok("person", "add", f"Sam {n}")

    result = restons("person", "show", "Sam")

    assert result.code == 1
    assert result.err.count("(#") == 5
    assert result.err.rstrip("\n").endswith("…; give more of the name or the #id")


def test_a_failed_command_still_lets_the_next_one_succeed(restons, people):
    """The one-line failure does not leave a broken transaction behind (it matters on PostgreSQL)."""
    assert restons("ping", "Bruno", "--at", "2030-01-01").code == 1

    restons.ok("ping", "Bruno")

    assert Person.objects.get(name="Bruno Petit").interactions.count() == 2
