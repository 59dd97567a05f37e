# The score's parts, so that a new day rescores the due and overdue without the engine (services.checkups).
# Rows kept from before hold no parts (0): they are never rescored (see services.checkups._rescore), and every
# one of them that could be was due for recomputation the next day anyway.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('restons', '0017_sync'),
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
    ]
