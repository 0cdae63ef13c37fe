import django.db.models.deletion
import django.utils.timezone
import reference.models
from django.db import migrations, models

APP = "reference"
# (app the model came from, model name): their tables keep the old names (Meta.db_table).
MOVED = [
    ('analysis', 'region'),
    ('analysis', 'county'),
    ('analysis', 'municipality'),
    ('analysis', 'municipalityclassification'),
    ('analysis', 'questionnaire'),
    ('analysis', 'section'),
    ('analysis', 'question'),
    ('analysis', 'taskarea'),
    ('analysis', 'instrument'),
    ('analysis', 'targetgroup'),
    ('analysis', 'fundingsource'),
    ('factors', 'successfactor'),
    ('factors', 'criterion'),
    ('factors', 'maturitylevel'),
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
    """Reference data moves from `analysis` and `factors` to its own app, keeping its tables."""

    initial = True

    dependencies = [
        ('analysis', '0007_indicator_source_table_may_be_unknown'),
        ('factors', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        # The tables exist already (created by the apps the models came from): only Django's
        # picture of which app owns them changes. No table, column or row is touched.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                    migrations.CreateModel(
                        name='FundingSource',
                        fields=[
                            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                            ('key', models.SlugField(unique=True, verbose_name='key')),
                            ('order', models.PositiveSmallIntegerField(verbose_name='order')),
                            ('name_nb', models.CharField(max_length=200, verbose_name='name (bokmål)')),
                            ('name_nn', models.CharField(blank=True, max_length=200, verbose_name='name (nynorsk)')),
                            ('name_en', models.CharField(blank=True, max_length=200, verbose_name='name (English)')),
                        ],
                        options={
                            'verbose_name': 'funding source',
                            'verbose_name_plural': 'funding sources',
                            'db_table': 'analysis_fundingsource',
                            'ordering': ['order'],
                        },
                        bases=(reference.models.TranslatedFieldsMixin, models.Model),
                    ),
                    migrations.CreateModel(
                        name='Instrument',
                        fields=[
                            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                            ('key', models.SlugField(unique=True, verbose_name='key')),
                            ('order', models.PositiveSmallIntegerField(verbose_name='order')),
                            ('name_nb', models.CharField(max_length=200, verbose_name='name (bokmål)')),
                            ('name_nn', models.CharField(blank=True, max_length=200, verbose_name='name (nynorsk)')),
                            ('name_en', models.CharField(blank=True, max_length=200, verbose_name='name (English)')),
                        ],
                        options={
                            'verbose_name': 'instrument',
                            'verbose_name_plural': 'instruments',
                            'db_table': 'analysis_instrument',
                            'ordering': ['order'],
                        },
                        bases=(reference.models.TranslatedFieldsMixin, models.Model),
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
                            'db_table': 'analysis_municipalityclassification',
                            'ordering': ['-valid_from'],
                        },
                    ),
                    migrations.CreateModel(
                        name='Questionnaire',
                        fields=[
                            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                            ('edition', models.PositiveSmallIntegerField(unique=True, verbose_name='edition')),
                            ('title', models.CharField(max_length=200, verbose_name='title')),
                            ('source', models.CharField(blank=True, max_length=300, verbose_name='source')),
                            ('published_at', models.DateTimeField(blank=True, null=True, verbose_name='published')),
                        ],
                        options={
                            'verbose_name': 'questionnaire edition',
                            'verbose_name_plural': 'questionnaire editions',
                            'db_table': 'analysis_questionnaire',
                            'ordering': ['edition'],
                        },
                    ),
                    migrations.CreateModel(
                        name='Region',
                        fields=[
                            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                            ('name', models.CharField(max_length=200, unique=True, verbose_name='name')),
                            ('organisation_number', models.CharField(blank=True, max_length=9, verbose_name='organisation number')),
                        ],
                        options={
                            'verbose_name': 'region (Statsforvalter office)',
                            'verbose_name_plural': 'regions (Statsforvalter offices)',
                            'db_table': 'analysis_region',
                            'ordering': ['name'],
                        },
                    ),
                    migrations.CreateModel(
                        name='TargetGroup',
                        fields=[
                            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                            ('key', models.SlugField(unique=True, verbose_name='key')),
                            ('order', models.PositiveSmallIntegerField(verbose_name='order')),
                            ('name_nb', models.CharField(max_length=200, verbose_name='name (bokmål)')),
                            ('name_nn', models.CharField(blank=True, max_length=200, verbose_name='name (nynorsk)')),
                            ('name_en', models.CharField(blank=True, max_length=200, verbose_name='name (English)')),
                        ],
                        options={
                            'verbose_name': 'target group',
                            'verbose_name_plural': 'target groups',
                            'db_table': 'analysis_targetgroup',
                            'ordering': ['order'],
                        },
                        bases=(reference.models.TranslatedFieldsMixin, models.Model),
                    ),
                    migrations.CreateModel(
                        name='TaskArea',
                        fields=[
                            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                            ('key', models.SlugField(unique=True, verbose_name='key')),
                            ('order', models.PositiveSmallIntegerField(verbose_name='order')),
                            ('name_nb', models.CharField(max_length=200, verbose_name='name (bokmål)')),
                            ('name_nn', models.CharField(blank=True, max_length=200, verbose_name='name (nynorsk)')),
                            ('name_en', models.CharField(blank=True, max_length=200, verbose_name='name (English)')),
                            ('description_nb', models.TextField(blank=True, verbose_name='description (bokmål)')),
                            ('description_nn', models.TextField(blank=True, verbose_name='description (nynorsk)')),
                            ('description_en', models.TextField(blank=True, verbose_name='description (English)')),
                        ],
                        options={
                            'verbose_name': 'task area',
                            'verbose_name_plural': 'task areas',
                            'db_table': 'analysis_taskarea',
                            'ordering': ['order'],
                        },
                        bases=(reference.models.TranslatedFieldsMixin, models.Model),
                    ),
                    migrations.CreateModel(
                        name='County',
                        fields=[
                            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                            ('number', models.CharField(max_length=2, unique=True, verbose_name='county number')),
                            ('name', models.CharField(max_length=100, verbose_name='name')),
                            ('official_name', models.CharField(max_length=200, verbose_name='official name')),
                            ('region', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='counties', to='reference.region', verbose_name='region')),
                        ],
                        options={
                            'verbose_name': 'county',
                            'verbose_name_plural': 'counties',
                            'db_table': 'analysis_county',
                            'ordering': ['number'],
                        },
                    ),
                    migrations.CreateModel(
                        name='Section',
                        fields=[
                            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                            ('key', models.SlugField(verbose_name='key')),
                            ('order', models.PositiveSmallIntegerField(verbose_name='order')),
                            ('kind', models.CharField(choices=[('questions', 'Questions'), ('responsibility_map', 'Who does what'), ('cooperation', 'Cooperation'), ('allocation', 'Allocation'), ('factors', 'Success factors'), ('projects', 'Projects')], max_length=20, verbose_name='kind')),
                            ('title_nb', models.CharField(max_length=200, verbose_name='title (bokmål)')),
                            ('title_nn', models.CharField(blank=True, max_length=200, verbose_name='title (nynorsk)')),
                            ('title_en', models.CharField(blank=True, max_length=200, verbose_name='title (English)')),
                            ('intro_nb', models.TextField(blank=True, verbose_name='introduction (bokmål)')),
                            ('intro_nn', models.TextField(blank=True, verbose_name='introduction (nynorsk)')),
                            ('intro_en', models.TextField(blank=True, verbose_name='introduction (English)')),
                            ('questionnaire', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sections', to='reference.questionnaire')),
                        ],
                        options={
                            'verbose_name': 'section',
                            'verbose_name_plural': 'sections',
                            'db_table': 'analysis_section',
                            'ordering': ['questionnaire', 'order'],
                        },
                        bases=(reference.models.TranslatedFieldsMixin, models.Model),
                    ),
                    migrations.CreateModel(
                        name='Question',
                        fields=[
                            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                            ('key', models.SlugField(max_length=60, verbose_name='key')),
                            ('order', models.PositiveSmallIntegerField(verbose_name='order')),
                            ('kind', models.CharField(choices=[('text', 'Free text'), ('yes_no', 'Yes or no'), ('choice', 'Choice'), ('scale', 'Scale 1–5')], max_length=10, verbose_name='kind')),
                            ('required', models.BooleanField(default=True, verbose_name='required')),
                            ('text_nb', models.TextField(verbose_name='question (bokmål)')),
                            ('text_nn', models.TextField(blank=True, verbose_name='question (nynorsk)')),
                            ('text_en', models.TextField(blank=True, verbose_name='question (English)')),
                            ('help_nb', models.TextField(blank=True, verbose_name='help text (bokmål)')),
                            ('help_nn', models.TextField(blank=True, verbose_name='help text (nynorsk)')),
                            ('help_en', models.TextField(blank=True, verbose_name='help text (English)')),
                            ('choices', models.JSONField(blank=True, default=list, verbose_name='choices')),
                            ('max_length', models.PositiveIntegerField(default=5000, verbose_name='maximum length')),
                            ('source', models.CharField(blank=True, max_length=300, verbose_name='source')),
                            ('section', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='questions', to='reference.section')),
                        ],
                        options={
                            'verbose_name': 'question',
                            'verbose_name_plural': 'questions',
                            'db_table': 'analysis_question',
                            'ordering': ['section__order', 'order'],
                        },
                        bases=(reference.models.TranslatedFieldsMixin, models.Model),
                    ),
                    migrations.CreateModel(
                        name='SuccessFactor',
                        fields=[
                            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                            ('number', models.PositiveSmallIntegerField(unique=True, verbose_name='number')),
                            ('key', models.SlugField(unique=True, verbose_name='key')),
                            ('name_nb', models.CharField(max_length=200, verbose_name='name (bokmål)')),
                            ('name_nn', models.CharField(blank=True, max_length=200, verbose_name='name (nynorsk)')),
                            ('name_en', models.CharField(blank=True, max_length=200, verbose_name='name (English)')),
                            ('summary_nb', models.TextField(verbose_name='summary (bokmål)')),
                            ('summary_nn', models.TextField(blank=True, verbose_name='summary (nynorsk)')),
                            ('summary_en', models.TextField(blank=True, verbose_name='summary (English)')),
                            ('source', models.CharField(blank=True, max_length=300, verbose_name='source')),
                        ],
                        options={
                            'verbose_name': 'success factor',
                            'verbose_name_plural': 'success factors',
                            'db_table': 'factors_successfactor',
                            'ordering': ['number'],
                            'constraints': [models.CheckConstraint(condition=models.Q(('number__gte', 1), ('number__lte', 6)), name='six_success_factors')],
                        },
                        bases=(reference.models.TranslatedFieldsMixin, models.Model),
                    ),
                    migrations.CreateModel(
                        name='MaturityLevel',
                        fields=[
                            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                            ('level', models.PositiveSmallIntegerField(verbose_name='level')),
                            ('description_nb', models.TextField(verbose_name='description (bokmål)')),
                            ('description_nn', models.TextField(blank=True, verbose_name='description (nynorsk)')),
                            ('description_en', models.TextField(blank=True, verbose_name='description (English)')),
                            ('factor', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='levels', to='reference.successfactor')),
                        ],
                        options={
                            'verbose_name': 'maturity level',
                            'verbose_name_plural': 'maturity levels',
                            'db_table': 'factors_maturitylevel',
                            'ordering': ['factor__number', 'level'],
                        },
                        bases=(reference.models.TranslatedFieldsMixin, models.Model),
                    ),
                    migrations.CreateModel(
                        name='Criterion',
                        fields=[
                            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                            ('order', models.PositiveSmallIntegerField(verbose_name='order')),
                            ('text_nb', models.TextField(verbose_name='criterion (bokmål)')),
                            ('text_nn', models.TextField(blank=True, verbose_name='criterion (nynorsk)')),
                            ('text_en', models.TextField(blank=True, verbose_name='criterion (English)')),
                            ('factor', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='criteria', to='reference.successfactor')),
                        ],
                        options={
                            'verbose_name': 'criterion',
                            'verbose_name_plural': 'criteria',
                            'db_table': 'factors_criterion',
                            'ordering': ['factor__number', 'order'],
                        },
                        bases=(reference.models.TranslatedFieldsMixin, models.Model),
                    ),
                    migrations.CreateModel(
                        name='Municipality',
                        fields=[
                            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                            ('number', models.CharField(max_length=4, unique=True, verbose_name='municipality number')),
                            ('name', models.CharField(max_length=100, verbose_name='name')),
                            ('ssb_name', models.CharField(max_length=200, verbose_name="name in SSB's classification")),
                            ('other_language_names', models.CharField(blank=True, max_length=200, verbose_name='Sami and Kven names')),
                            ('language_form', models.CharField(blank=True, choices=[('bokmål', 'Bokmål'), ('nynorsk', 'Nynorsk'), ('nøytral', 'Neutral')], max_length=10, verbose_name='official language form')),
                            ('population', models.PositiveIntegerField(verbose_name='population')),
                            ('population_year', models.PositiveSmallIntegerField(verbose_name='population year')),
                            ('valid_from', models.DateField(verbose_name='valid from')),
                            ('valid_to', models.DateField(blank=True, null=True, verbose_name='valid to')),
                            ('county', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='municipalities', to='reference.county', verbose_name='county')),
                        ],
                        options={
                            'verbose_name': 'municipality',
                            'verbose_name_plural': 'municipalities',
                            'db_table': 'analysis_municipality',
                            'ordering': ['number'],
                            'indexes': [models.Index(fields=['name'], name='analysis_mu_name_9adfc6_idx')],
                            'constraints': [models.CheckConstraint(condition=models.Q(('valid_to__isnull', True), ('valid_to__gte', models.F('valid_from')), _connector='OR'), name='municipality_ends_after_it_starts'), models.CheckConstraint(condition=models.Q(('language_form', ''), ('language_form__in', ['bokmål', 'nynorsk', 'nøytral']), _connector='OR'), name='municipality_language_form_valid'), models.CheckConstraint(condition=models.Q(('number__regex', '^[0-9]{4}$')), name='municipality_number_four_digits')],
                        },
                    ),
                    migrations.AddConstraint(
                        model_name='county',
                        constraint=models.CheckConstraint(condition=models.Q(('number__regex', '^[0-9]{2}$')), name='county_number_two_digits'),
                    ),
                    migrations.AddConstraint(
                        model_name='section',
                        constraint=models.CheckConstraint(condition=models.Q(('kind__in', ['questions', 'responsibility_map', 'cooperation', 'allocation', 'factors', 'projects'])), name='section_kind_valid'),
                    ),
                    migrations.AddConstraint(
                        model_name='section',
                        constraint=models.UniqueConstraint(fields=('questionnaire', 'key'), name='unique_section_key'),
                    ),
                    migrations.AddConstraint(
                        model_name='section',
                        constraint=models.UniqueConstraint(fields=('questionnaire', 'order'), name='unique_section_order'),
                    ),
                    migrations.AddConstraint(
                        model_name='question',
                        constraint=models.CheckConstraint(condition=models.Q(('kind__in', ['text', 'yes_no', 'choice', 'scale'])), name='question_kind_valid'),
                    ),
                    migrations.AddConstraint(
                        model_name='question',
                        constraint=models.UniqueConstraint(fields=('section', 'key'), name='unique_question_key'),
                    ),
                    migrations.AddConstraint(
                        model_name='maturitylevel',
                        constraint=models.UniqueConstraint(fields=('factor', 'level'), name='unique_level_per_factor'),
                    ),
                    migrations.AddConstraint(
                        model_name='maturitylevel',
                        constraint=models.CheckConstraint(condition=models.Q(('level__gte', 1), ('level__lte', 5)), name='maturity_level_1_to_5'),
                    ),
                    migrations.AddConstraint(
                        model_name='criterion',
                        constraint=models.UniqueConstraint(fields=('factor', 'order'), name='unique_criterion_order'),
                    ),
            ],
            database_operations=[],
        ),
        # Permissions and admin history follow the models to their new app.
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
