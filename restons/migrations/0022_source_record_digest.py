from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('restons', '0021_new_day'),
    ]

    operations = [
        migrations.AddField(
            model_name='sourcerecord',
            name='digest',
            field=models.CharField(blank=True, default='', max_length=32),
        ),
    ]
