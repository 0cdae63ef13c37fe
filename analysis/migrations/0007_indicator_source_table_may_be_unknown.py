"""An indicator without a verified table id keeps its table empty, instead of the words
"tabell ikke angitt" that the source line then printed as if they were a table. Databases
loaded from the earlier catalogue get the same values the catalogue now has."""

from django.db import migrations, models

MARKER = "tabell ikke angitt"
SOCIAL_ASSISTANCE = ("12210 (2015–2022, avsluttet); nyere tabell ikke angitt", "12210 (2015–2022, avsluttet)")


def clear_marker(apps, schema_editor):
    Indicator = apps.get_model("analysis", "Indicator")
    Indicator.objects.filter(source_table=MARKER).update(source_table="")
    Indicator.objects.filter(source_table=SOCIAL_ASSISTANCE[0]).update(
        source_table=SOCIAL_ASSISTANCE[1]
    )


def restore_marker(apps, schema_editor):
    Indicator = apps.get_model("analysis", "Indicator")
    Indicator.objects.filter(source_table="").update(source_table=MARKER)
    Indicator.objects.filter(source_table=SOCIAL_ASSISTANCE[1]).update(
        source_table=SOCIAL_ASSISTANCE[0]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("analysis", "0006_keep_classifications_and_official_aggregates"),
    ]

    operations = [
        migrations.AlterField(
            model_name="indicator",
            name="source_table",
            field=models.CharField(blank=True, max_length=100, verbose_name="source table"),
        ),
        migrations.RunPython(clear_marker, restore_marker),
    ]
