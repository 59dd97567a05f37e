"""LinkedIn messages imported before capture (one interaction per message, no end) become conversation pieces.

Since 0013 LinkedIn messages go through the capture rules: a conversation is one interaction from its
first to its last message (``until``), and a re-import reconciles with stored conversations — those
with an ``until``. Giving the older per-message rows ``until = at`` lets the next import of the same
export merge them into conversations instead of adding them a second time.
"""

from django.db import migrations
from django.db.models import F


def give_linkedin_messages_an_end(apps, schema_editor):
    Interaction = apps.get_model("restons", "Interaction")
    Interaction.objects.filter(source="linkedin", until__isnull=True).update(until=F("at"))


class Migration(migrations.Migration):
    dependencies = [("restons", "0014_checkup_until")]

    operations = [migrations.RunPython(give_linkedin_messages_an_end, migrations.RunPython.noop)]
