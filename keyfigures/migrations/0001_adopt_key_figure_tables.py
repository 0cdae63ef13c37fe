import django.db.models.deletion
import django.utils.timezone
import reference.models
from django.db import migrations, models

APP = "keyfigures"
# (app the model came from, model name): their tables keep the old names (Meta.db_table).
MOVED = [
    ('analysis', 'indicator'),
    ('analysis', 'indicatorvalue'),
    ('analysis', 'indicatoraggregatevalue'),
]


def move_content_types(apps, schema_editor, *, forward=True):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for old_app, model in MOVED:
        old, new = (old_app, APP) if forward else (APP, old_app)
        # Where the new name exists already (a migrate command run in between made it), the
        # old one is left for remove_stale_contenttypes, as Django's own renames do.
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, forward=False)


class Migration(migrations.Migration):
    """The key-figure catalogue and values move from `analysis` to their own app, keeping their tables."""

    initial = True

    dependencies = [
        ('reference', '0001_adopt_reference_tables'),
        ('analysis', '0007_indicator_source_table_may_be_unknown'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        # The tables exist already (created by the apps the models came from): only Django's
        # picture of which app owns them changes. No table, column or row is touched.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                    migrations.CreateModel(
                        name='Indicator',
                        fields=[
                            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                            ('code', models.SlugField(max_length=60, unique=True, verbose_name='code')),
                            ('theme', models.CharField(max_length=100, verbose_name='theme')),
                            ('name_nb', models.CharField(max_length=200, verbose_name='name (bokmål)')),
                            ('name_nn', models.CharField(blank=True, max_length=200, verbose_name='name (nynorsk)')),
                            ('name_en', models.CharField(blank=True, max_length=200, verbose_name='name (English)')),
                            ('definition_nb', models.TextField(verbose_name='definition (bokmål)')),
                            ('definition_nn', models.TextField(blank=True, verbose_name='definition (nynorsk)')),
                            ('definition_en', models.TextField(blank=True, verbose_name='definition (English)')),
                            ('unit', models.CharField(choices=[('count', 'Count'), ('per_1000', 'Per 1000 inhabitants'), ('percent', 'Percent'), ('nok', 'NOK')], max_length=10, verbose_name='unit')),
                            ('better', models.CharField(blank=True, choices=[('', 'Neither'), ('higher', 'Higher is better'), ('lower', 'Lower is better')], max_length=10, verbose_name='better direction')),
                            ('source_publisher', models.CharField(max_length=100, verbose_name='publisher')),
                            ('source_table', models.CharField(blank=True, max_length=100, verbose_name='source table')),
                            ('aliases', models.JSONField(blank=True, default=list, verbose_name='aliases')),
                            ('order', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
                            ('count_indicator', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='rates', to='keyfigures.indicator')),
                        ],
                        options={
                            'verbose_name': 'indicator',
                            'verbose_name_plural': 'indicators',
                            'db_table': 'analysis_indicator',
                            'ordering': ['order', 'code'],
                        },
                        bases=(reference.models.TranslatedFieldsMixin, models.Model),
                    ),
                    migrations.CreateModel(
                        name='IndicatorAggregateValue',
                        fields=[
                            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                            ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                            ('value', models.DecimalField(blank=True, decimal_places=4, max_digits=16, null=True, verbose_name='value')),
                            ('missing_reason', models.CharField(blank=True, choices=[('', 'Not missing'), ('suppressed', 'Suppressed for privacy'), ('not_available', 'Not available'), ('not_applicable', 'Not applicable'), ('not_yet_available', 'Not yet available'), ('nil', 'Nil in the source')], max_length=20, verbose_name='why missing')),
                            ('imported_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='imported')),
                            ('source_file', models.CharField(blank=True, max_length=200, verbose_name='source file')),
                            ('county', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='indicator_values', to='reference.county')),
                            ('indicator', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='aggregate_values', to='keyfigures.indicator')),
                        ],
                        options={
                            'verbose_name': 'official county or country figure',
                            'verbose_name_plural': 'official county and country figures',
                            'db_table': 'analysis_indicatoraggregatevalue',
                        },
                    ),
                    migrations.CreateModel(
                        name='IndicatorValue',
                        fields=[
                            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                            ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                            ('value', models.DecimalField(blank=True, decimal_places=4, max_digits=16, null=True, verbose_name='value')),
                            ('missing_reason', models.CharField(blank=True, choices=[('', 'Not missing'), ('suppressed', 'Suppressed for privacy'), ('not_available', 'Not available'), ('not_applicable', 'Not applicable'), ('not_yet_available', 'Not yet available'), ('nil', 'Nil in the source')], max_length=20, verbose_name='why missing')),
                            ('imported_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='imported')),
                            ('source_file', models.CharField(blank=True, max_length=200, verbose_name='source file')),
                            ('indicator', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='values', to='keyfigures.indicator')),
                            ('municipality', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='indicator_values', to='reference.municipality')),
                        ],
                        options={
                            'verbose_name': 'indicator value',
                            'verbose_name_plural': 'indicator values',
                            'db_table': 'analysis_indicatorvalue',
                        },
                    ),
                    migrations.AddConstraint(
                        model_name='indicator',
                        constraint=models.CheckConstraint(condition=models.Q(('unit__in', ['count', 'per_1000', 'percent', 'nok'])), name='indicator_unit_valid'),
                    ),
                    migrations.AddConstraint(
                        model_name='indicator',
                        constraint=models.CheckConstraint(condition=models.Q(('better__in', ['', 'higher', 'lower'])), name='indicator_better_direction_valid'),
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
                    migrations.AddIndex(
                        model_name='indicatorvalue',
                        index=models.Index(fields=['municipality', 'indicator', 'year'], name='analysis_in_municip_a40226_idx'),
                    ),
                    migrations.AddConstraint(
                        model_name='indicatorvalue',
                        constraint=models.UniqueConstraint(fields=('indicator', 'municipality', 'year'), name='one_value_per_indicator_municipality_year'),
                    ),
                    migrations.AddConstraint(
                        model_name='indicatorvalue',
                        constraint=models.CheckConstraint(condition=models.Q(models.Q(('missing_reason', ''), ('value__isnull', False)), models.Q(('value__isnull', True), models.Q(('missing_reason', ''), _negated=True)), _connector='OR'), name='value_or_reason_for_missing'),
                    ),
                    migrations.AddConstraint(
                        model_name='indicatorvalue',
                        constraint=models.CheckConstraint(condition=models.Q(('missing_reason__in', ['', 'suppressed', 'not_available', 'not_applicable', 'not_yet_available', 'nil'])), name='indicator_value_missing_reason_valid'),
                    ),
            ],
            database_operations=[],
        ),
        # Permissions and admin history follow the models to their new app.
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
