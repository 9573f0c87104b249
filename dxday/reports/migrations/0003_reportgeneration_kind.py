from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0002_campaign_publish_from_and_more'),
        ('reports', '0002_report_draft_issued'),
    ]

    operations = [
        migrations.AddField(
            model_name='reportgeneration',
            name='kind',
            field=models.CharField(choices=[('plans', 'Consolidated report (plans)'), ('results', 'Results report')], default='plans', max_length=16, verbose_name='report'),
        ),
        # One generation waiting for its snapshot per campaign and report, so a results report
        # is never held back by a consolidated one.
        migrations.RemoveConstraint(
            model_name='reportgeneration',
            name='report_one_pending_snapshot',
        ),
        migrations.AddConstraint(
            model_name='reportgeneration',
            constraint=models.UniqueConstraint(condition=models.Q(('snapshot', ''), ('status__in', ['queued', 'running'])), fields=('campaign', 'kind'), name='report_one_pending_snapshot'),
        ),
    ]
