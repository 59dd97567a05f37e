"""What an owner's data holds, without ids: two owners who imported the same files compare equal."""

from __future__ import annotations

from restons.models import (
    Affiliation, Identity, Interaction, MergeSuggestion, Milestone, Organisation, Person, SourceRecord,
)


def snapshot(owner) -> dict[str, list]:
    people = {p.id: p for p in Person.objects.filter(owner=owner)}

    def who(pid):
        person = people[pid]
        return person.name, str(person.connected_on), person.created_at is not None

    return {
        "people": sorted((p.name, str(p.connected_on), p.met_how, p.notes, str(p.last_touch_at), str(p.last_in_at),
                          str(p.last_out_at), p.out_streak) for p in people.values()),
        "identities": sorted((i.kind, i.value, who(i.person_id)) for i in Identity.objects.filter(owner=owner)),
        "organisations": sorted(Organisation.objects.filter(owner=owner).values_list("name", flat=True)),
        "affiliations": sorted((who(a.person_id), a.organisation.name, a.title)
                               for a in Affiliation.objects.filter(owner=owner).select_related("organisation")),
        "milestones": sorted((who(m.person_id), m.title, str(m.on), m.yearly)
                             for m in Milestone.objects.filter(owner=owner)),
        "sources": sorted((r.source, r.key, who(r.person_id)) for r in SourceRecord.objects.filter(owner=owner)),
        "interactions": sorted((i.source, i.source_key, who(i.person_id), str(i.at), i.direction, i.summary)
                               for i in Interaction.objects.filter(owner=owner)),
        "suggestions": sorted((who(s.person_a_id), who(s.person_b_id), s.reason, s.organisation, s.score, s.status)
                              for s in MergeSuggestion.objects.filter(owner=owner)),
    }
