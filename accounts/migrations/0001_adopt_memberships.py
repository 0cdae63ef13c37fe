import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

APP = "accounts"
# (app the model came from, model name): their tables keep the old names (Meta.db_table).
MOVED = [
    ('analysis', 'membership'),
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
    """Memberships move from `analysis` to the people app, keeping their table."""

    initial = True

    dependencies = [
        ('reference', '0001_adopt_reference_tables'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('analysis', '0007_indicator_source_table_may_be_unknown'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        # The tables exist already (created by the apps the models came from): only Django's
        # picture of which app owns them changes. No table, column or row is touched.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                    migrations.CreateModel(
                        name='Membership',
                        fields=[
                            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                            ('role', models.CharField(choices=[('editor', 'Editor'), ('reader', 'Reader'), ('adviser', 'Adviser')], max_length=10, verbose_name='role')),
                            ('unit_name', models.CharField(blank=True, max_length=200, verbose_name='unit')),
                            ('municipality', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='reference.municipality')),
                            ('region', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='reference.region')),
                            ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to=settings.AUTH_USER_MODEL)),
                        ],
                        options={
                            'verbose_name': 'membership',
                            'verbose_name_plural': 'memberships',
                            'db_table': 'analysis_membership',
                            'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('municipality__isnull', True), ('region__isnull', False), ('role', 'adviser')), models.Q(('municipality__isnull', False), ('region__isnull', True), ('role__in', ['editor', 'reader'])), _connector='OR'), name='membership_role_matches_scope'), models.UniqueConstraint(condition=models.Q(('municipality__isnull', False)), fields=('user', 'municipality'), name='one_membership_per_user_and_municipality'), models.UniqueConstraint(condition=models.Q(('region__isnull', False)), fields=('user', 'region'), name='one_membership_per_user_and_region')],
                        },
                    ),
            ],
            database_operations=[],
        ),
        # Permissions and admin history follow the models to their new app.
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
