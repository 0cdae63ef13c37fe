from django.db import migrations, models
from django.db.models import F


def name_by_object_id(apps, schema_editor):
    Revision = apps.get_model("analysis", "Revision")
    Revision.objects.filter(kind="assessment").update(object_id=F("assessment_id"))


def name_by_foreign_key(apps, schema_editor):
    Revision = apps.get_model("analysis", "Revision")
    Revision.objects.filter(kind="assessment").update(assessment_id=F("object_id"), object_id=None)


class Migration(migrations.Migration):
    """A revision of a factor assessment names the assessment by `object_id`, like every other
    kind of row but answers, instead of a foreign key into `factors`: the self-assessment
    builds on `analysis`, never the other way (DESIGN.md, Layout). Each such revision's
    `object_id` is set to the assessment it had as foreign key; no revision is lost."""

    dependencies = [
        ("analysis", "0008_hand_over_reference_people_and_key_figures"),
    ]

    operations = [
        migrations.RunPython(name_by_object_id, name_by_foreign_key),
        migrations.RemoveConstraint(model_name="revision", name="revision_target_matches_kind"),
        migrations.RemoveField(model_name="revision", name="assessment"),
        migrations.AddConstraint(
            model_name="revision",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("answer__isnull", False), ("kind", "answer")),
                    models.Q(
                        models.Q(("kind", "answer"), _negated=True),
                        ("answer__isnull", True),
                        ("object_id__isnull", False),
                    ),
                    _connector="OR",
                ),
                name="revision_target_matches_kind",
            ),
        ),
    ]
