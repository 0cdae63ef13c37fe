import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor, *, forward=True):
    ContentType = apps.get_model("contenttypes", "ContentType")
    old, new = ("analysis", "factors") if forward else ("factors", "analysis")
    # Where the new name exists already, the old one is left for remove_stale_contenttypes.
    if not ContentType.objects.filter(app_label=new, model="invitation").exists():
        ContentType.objects.filter(app_label=old, model="invitation").update(app_label=new)


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, forward=False)


class Migration(migrations.Migration):
    """The self-assessment owns the user organisations' invitations (their table
    analysis_invitation stays as it is), and the factors it rates are reference data now.
    Nothing in the database changes."""

    dependencies = [
        ("factors", "0001_initial"),
        ("analysis", "0007_indicator_source_table_may_be_unknown"),
        ("reference", "0001_adopt_reference_tables"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Invitation",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("organisation_name", models.CharField(max_length=200, verbose_name="organisation")),
                        ("token", models.CharField(max_length=64, unique=True)),
                        ("expires_at", models.DateTimeField(verbose_name="expires")),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="created")),
                        ("used_at", models.DateTimeField(blank=True, null=True, verbose_name="answered")),
                        ("revoked_at", models.DateTimeField(blank=True, null=True, verbose_name="revoked")),
                        ("analysis", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="invitations", to="analysis.analysis")),
                        ("created_by", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "verbose_name": "invitation",
                        "verbose_name_plural": "invitations",
                        "db_table": "analysis_invitation",
                        "ordering": ["-created_at"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("expires_at__gt", models.F("created_at"))),
                                name="invitation_expires_after_creation",
                            )
                        ],
                    },
                ),
                migrations.AlterField(
                    model_name="userorganisationinput",
                    name="invitation",
                    field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="input", to="factors.invitation"),
                ),
                migrations.AlterField(
                    model_name="factorassessment",
                    name="factor",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="reference.successfactor"),
                ),
                migrations.AlterField(
                    model_name="userfactorrating",
                    name="factor",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="reference.successfactor"),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
