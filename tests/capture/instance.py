"""A script the subprocess tests run against an instance of their own (RESTONS_HOME, RESTONS_DATABASE_URL).

    python tests/capture/instance.py setup EMAIL PASSWORD   # an account that can log in, one person
    python tests/capture/instance.py state                   # what the instance holds, as JSON, ids left out
    python tests/capture/instance.py write EMAIL PASSWORD STOP_FILE
        # prints "ready", then logs in and logs a ping again and again until STOP_FILE exists; prints one
        # line per ping with the imported interactions seen; a write that waits more than 5 s for the lock fails
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main() -> None:
    from restons import bootstrap

    bootstrap.setup()
    from django.db import connection

    if connection.vendor == "sqlite":
        connection.settings_dict["OPTIONS"]["timeout"] = 5  # a write waits at most 5 s for the lock
    bootstrap.ensure_database()
    command = sys.argv[1]
    if command == "setup":
        from restons.services.people import PersonInput, add_person
        from restons.services.users import create_account

        user = create_account(sys.argv[2], sys.argv[3], admin=True, verified=True)
        add_person(user, PersonInput(name="Camille Pingée", emails=["camille@elsewhere.example"]))
    elif command == "state":
        print(json.dumps(state(), ensure_ascii=False, sort_keys=True))
    elif command == "write":
        write(*sys.argv[2:5])


def state() -> dict:
    """People by their identities, interactions by who and when: everything an import decides, ids aside."""
    from restons.models import Identity, Interaction, MergeSuggestion, MyIdentity, Person

    who = {}
    for pid, kind, value in Identity.objects.values_list("person_id", "kind", "value"):
        who.setdefault(pid, []).append(f"{kind}:{value}")
    names = dict(Person.objects.values_list("id", "name"))
    label = {pid: f"{names[pid]} <{','.join(sorted(who.get(pid, [])))}>" for pid in names}
    people = Person.objects.values_list("id", "last_touch_at", "last_in_at", "last_out_at", "first_touch_at", "out_streak")
    return {
        "people": sorted([label[pid], *(str(v) for v in rest)] for pid, *rest in people),
        "interactions": sorted(
            [label[pid], at.isoformat(), until.isoformat() if until else None, direction, channel, summary, source, key]
            for pid, at, until, direction, channel, summary, source, key in Interaction.objects.values_list(
                "person_id", "at", "until", "direction", "channel", "summary", "source", "source_key")),
        "suggestions": sorted(sorted([label[a], label[b]]) for a, b in MergeSuggestion.objects.values_list(
            "person_a_id", "person_b_id")),
        "me": sorted(f"{k}:{v}" for k, v in MyIdentity.objects.values_list("kind", "value")),
    }


def write(email: str, password: str, stop: str) -> None:
    from django.test import Client
    from django.test.utils import setup_test_environment

    from restons.models import Interaction, Person
    from restons.services.interactions import log_ping

    setup_test_environment()  # the test client's host name is allowed
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(email=email)
    person = Person.objects.get(owner=user, name="Camille Pingée")
    rounds = 0
    print("ready", flush=True)  # set up: the test starts the import now, so that it does not end before we begin
    while not Path(stop).exists():
        response = Client().post("/login/", {"login": email, "password": password})
        assert response.status_code == 302, response.status_code
        for _ping in range(10):
            log_ping(user, person, note=f"round {rounds}")
            print(Interaction.objects.exclude(source="manual").count(), flush=True)
            time.sleep(0.02)
        rounds += 1


if __name__ == "__main__":
    main()
