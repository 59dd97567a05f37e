"""A new day for less: the checkups' counts_until (the window recounted without the engine), the rescoring's
ranges, activity read from an index alone, partial indexes for the links of pings."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


LINKS = ("content_id", "event_id", "milestone_id")


def _link_indexes(schema_editor, table):
    return [(schema_editor._create_index_name(table, [column]), column) for column in LINKS]


def drop_link_indexes(apps, schema_editor):
    table = apps.get_model("restons", "Interaction")._meta.db_table
    for name, _column in _link_indexes(schema_editor, table):
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


def create_link_indexes(apps, schema_editor):
    table = apps.get_model("restons", "Interaction")._meta.db_table
    for name, column in _link_indexes(schema_editor, table):
        schema_editor.execute(f"CREATE INDEX {schema_editor.quote_name(name)} ON {schema_editor.quote_name(table)} "
                              f"({schema_editor.quote_name(column)})")


class Migration(migrations.Migration):

    dependencies = [
        ('restons', '0020_people_count'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='interaction',
            name='interaction_owner_person_at',
        ),
        migrations.AddField(
            model_name='checkup',
            name='counts_until',
            field=models.DateField(null=True),
        ),
        # The links' own indexes give way to the partial ones below (a captured message has none of the
        # three links): dropped in place, as SQLite would otherwise copy the whole table to alter the fields.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='interaction',
                    name='content',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='interactions', to='restons.content'),
                ),
                migrations.AlterField(
                    model_name='interaction',
                    name='event',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='interactions', to='restons.event'),
                ),
                migrations.AlterField(
                    model_name='interaction',
                    name='milestone',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='interactions', to='restons.milestone'),
                ),
            ],
            database_operations=[migrations.RunPython(drop_link_indexes, create_link_indexes)],
        ),
        migrations.AddIndex(
            model_name='checkup',
            index=models.Index(fields=['owner', 'status', 'valid_until'], name='checkup_owner_status_until'),
        ),
        migrations.AddIndex(
            model_name='checkup',
            index=models.Index(fields=['owner', 'strength_until'], name='checkup_owner_strength_step'),
        ),
        migrations.AddIndex(
            model_name='checkup',
            index=models.Index(fields=['owner', 'counts_until'], name='checkup_owner_counts_until'),
        ),
        migrations.AddIndex(
            model_name='interaction',
            index=models.Index(fields=['owner', 'person', 'at', 'id', 'direction', 'channel'], name='interaction_person_activity'),
        ),
        migrations.AddIndex(
            model_name='interaction',
            index=models.Index(condition=models.Q(('content__isnull', False)), fields=['content', 'owner', 'person'], name='interaction_content'),
        ),
        migrations.AddIndex(
            model_name='interaction',
            index=models.Index(condition=models.Q(('milestone__isnull', False)), fields=['milestone', 'owner'], name='interaction_milestone'),
        ),
        migrations.AddIndex(
            model_name='interaction',
            index=models.Index(condition=models.Q(('event__isnull', False)), fields=['event', 'owner'], name='interaction_event'),
        ),
    ]
