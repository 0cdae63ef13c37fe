import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('analysis', '0005_record_history_of_structures_and_projects'),
    ]

    operations = [
        migrations.CreateModel(
            name='IndicatorAggregateValue',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                ('value', models.DecimalField(blank=True, decimal_places=4, max_digits=16, null=True, verbose_name='value')),
                ('missing_reason', models.CharField(blank=True, choices=[('', 'Not missing'), ('suppressed', 'Suppressed for privacy'), ('not_available', 'Not available'), ('not_applicable', 'Not applicable'), ('not_yet_available', 'Not yet available'), ('nil', 'Nil in the source')], max_length=20, verbose_name='why missing')),
                ('imported_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='imported')),
                ('source_file', models.CharField(blank=True, max_length=200, verbose_name='source file')),
            ],
            options={
                'verbose_name': 'official county or country figure',
                'verbose_name_plural': 'official county and country figures',
            },
        ),
        migrations.CreateModel(
            name='MunicipalityClassification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('valid_from', models.DateField(unique=True, verbose_name='valid from')),
                ('source', models.CharField(max_length=300, verbose_name='source file')),
                ('loaded_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='loaded')),
            ],
            options={
                'verbose_name': 'municipality classification',
                'verbose_name_plural': 'municipality classifications',
                'ordering': ['-valid_from'],
            },
        ),
        migrations.AddField(
            model_name='indicatoraggregatevalue',
            name='county',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='indicator_values', to='analysis.county'),
        ),
        migrations.AddField(
            model_name='indicatoraggregatevalue',
            name='indicator',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='aggregate_values', to='analysis.indicator'),
        ),
        migrations.AddConstraint(
            model_name='indicatoraggregatevalue',
            constraint=models.UniqueConstraint(condition=models.Q(('county__isnull', False)), fields=('indicator', 'county', 'year'), name='one_county_value_per_indicator_year'),
        ),
        migrations.AddConstraint(
            model_name='indicatoraggregatevalue',
            constraint=models.UniqueConstraint(condition=models.Q(('county__isnull', True)), fields=('indicator', 'year'), name='one_country_value_per_indicator_year'),
        ),
        migrations.AddConstraint(
            model_name='indicatoraggregatevalue',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('missing_reason', ''), ('value__isnull', False)), models.Q(('value__isnull', True), models.Q(('missing_reason', ''), _negated=True)), _connector='OR'), name='aggregate_value_or_reason_for_missing'),
        ),
        migrations.AddConstraint(
            model_name='indicatoraggregatevalue',
            constraint=models.CheckConstraint(condition=models.Q(('missing_reason__in', ['', 'suppressed', 'not_available', 'not_applicable', 'not_yet_available', 'nil'])), name='aggregate_missing_reason_valid'),
        ),
    ]
