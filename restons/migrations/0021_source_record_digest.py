from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('restons', '0020_people_count'),
    ]

    operations = [
        migrations.AddField(
            model_name='sourcerecord',
            name='digest',
            field=models.CharField(blank=True, default='', max_length=32),
        ),
    ]
