"""The questionnaire's title in bokmål, nynorsk and English. The bokmål title stays in its
column ("title"); only the model's name for it changes, so no row is rewritten."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("reference", "0001_adopt_reference_tables")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RenameField("questionnaire", "title", "title_nb"),
                migrations.AlterField(
                    model_name="questionnaire",
                    name="title_nb",
                    field=models.CharField(
                        db_column="title", max_length=200, verbose_name="title (bokmål)"
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="questionnaire",
            name="title_nn",
            field=models.CharField(
                blank=True, default="", max_length=200, verbose_name="title (nynorsk)"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="questionnaire",
            name="title_en",
            field=models.CharField(
                blank=True, default="", max_length=200, verbose_name="title (English)"
            ),
            preserve_default=False,
        ),
    ]
