# The score's and the strength's parts, so that a new day rescores the due and overdue, and the strengths
# that time moves, without the engine (services.checkups). Rows kept from before hold no parts (worth 0, no
# strength_until): they are never rescored (see services.checkups._rescore), and every one of them that
# could be was due for recomputation the next day anyway.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('restons', '0018_people_sorts'),
    ]

    operations = [
        migrations.AddField(
            model_name='checkup',
            name='hooks',
            field=models.FloatField(default=0),
        ),
        migrations.AddField(
            model_name='checkup',
            name='worth',
            field=models.FloatField(default=0),
        ),
        migrations.AddField(
            model_name='checkup',
            name='touched',
            field=models.DateField(null=True),
        ),
        migrations.AddField(
            model_name='checkup',
            name='since',
            field=models.DateField(null=True),
        ),
        migrations.AddField(
            model_name='checkup',
            name='channels',
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='checkup',
            name='outcomes',
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='checkup',
            name='strength_until',
            field=models.DateField(null=True),
        ),
    ]
