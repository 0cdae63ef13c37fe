from collections import defaultdict

import django.db.models.functions.text
from django.db import migrations, models
from django.db.models.functions import Lower


def rename_case_duplicates(apps, schema_editor):
    """Units of one municipality whose names differ only in case (saved at the same moment
    before this constraint) are all kept, since analyses may point at each: the oldest keeps
    its name, the others get " (2)", " (3)" … after theirs. Names are compared as the
    constraint compares them, by the database's LOWER()."""
    Unit = apps.get_model("analysis", "Unit")
    groups = defaultdict(list)
    for unit in Unit.objects.annotate(key=Lower("name")).order_by("pk"):
        groups[unit.municipality_id, unit.key].append(unit)
    for (municipality_id, _key), same in groups.items():
        others = Unit.objects.filter(municipality_id=municipality_id).annotate(key=Lower("name"))
        for unit in same[1:]:
            n = 2
            while True:
                suffix = f" ({n})"
                name = unit.name[: 200 - len(suffix)] + suffix
                if not others.filter(key=Lower(models.Value(name))).exists():
                    break
                n += 1
            unit.name = name
            unit.save(update_fields=["name"])


class Migration(migrations.Migration):
    dependencies = [
        ("analysis", "0009_name_assessment_revisions_by_object_id"),
        ("reference", "0001_adopt_reference_tables"),
    ]

    operations = [
        migrations.RunPython(rename_case_duplicates, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="unit",
            name="unique_unit_name_per_municipality",
        ),
        migrations.AddConstraint(
            model_name="unit",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("name"),
                models.F("municipality"),
                name="unique_unit_name_per_municipality_any_case",
                violation_error_code="unique",
            ),
        ),
    ]
