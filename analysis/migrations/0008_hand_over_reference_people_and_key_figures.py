import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Reference data, memberships, key figures and invitations now belong to the apps
    `reference`, `accounts`, `keyfigures` and `factors` (DESIGN.md, Layout). They took over
    the tables as they are; here `analysis` points its relations at them and forgets the
    models. Nothing in the database changes: no table, column or row."""

    dependencies = [
        ("analysis", "0007_indicator_source_table_may_be_unknown"),
        ("reference", "0001_adopt_reference_tables"),
        ("accounts", "0001_adopt_memberships"),
        ("keyfigures", "0001_adopt_key_figure_tables"),
        ("factors", "0002_adopt_invitations"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="round",
                    name="questionnaire",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="rounds", to="reference.questionnaire"),
                ),
                migrations.AlterField(
                    model_name="analysis",
                    name="municipality",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="analyses", to="reference.municipality"),
                ),
                migrations.AlterField(
                    model_name="unit",
                    name="municipality",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="units", to="reference.municipality"),
                ),
                migrations.AlterField(
                    model_name="project",
                    name="municipality",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="projects", to="reference.municipality"),
                ),
                migrations.AlterField(
                    model_name="sectionassignment",
                    name="section",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="reference.section"),
                ),
                migrations.AlterField(
                    model_name="answer",
                    name="question",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="answers", to="reference.question"),
                ),
                migrations.AlterField(
                    model_name="reviewcomment",
                    name="section",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="reference.section"),
                ),
                migrations.AlterField(
                    model_name="reviewcomment",
                    name="question",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="reference.question"),
                ),
                migrations.AlterField(
                    model_name="responsibility",
                    name="task_area",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="reference.taskarea"),
                ),
                migrations.AlterField(
                    model_name="allocationpractice",
                    name="instrument",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="reference.instrument"),
                ),
                # The join tables keep their names and columns (analysis_project_target_groups
                # with targetgroup_id, and so on): the related models' names did not change.
                migrations.AlterField(
                    model_name="project",
                    name="target_groups",
                    field=models.ManyToManyField(blank=True, related_name="projects", to="reference.targetgroup", verbose_name="target groups"),
                ),
                migrations.AlterField(
                    model_name="project",
                    name="funding_sources",
                    field=models.ManyToManyField(blank=True, related_name="projects", to="reference.fundingsource", verbose_name="funding"),
                ),
                migrations.AlterField(
                    model_name="project",
                    name="factors",
                    field=models.ManyToManyField(blank=True, related_name="projects", to="reference.successfactor", verbose_name="success factors it strengthens"),
                ),
                # Rows that point at others go first.
                migrations.DeleteModel(name="IndicatorValue"),
                migrations.DeleteModel(name="IndicatorAggregateValue"),
                migrations.DeleteModel(name="Indicator"),
                migrations.DeleteModel(name="Membership"),
                migrations.DeleteModel(name="Invitation"),
                migrations.DeleteModel(name="Question"),
                migrations.DeleteModel(name="Section"),
                migrations.DeleteModel(name="Questionnaire"),
                migrations.DeleteModel(name="MunicipalityClassification"),
                migrations.DeleteModel(name="Municipality"),
                migrations.DeleteModel(name="County"),
                migrations.DeleteModel(name="Region"),
                migrations.DeleteModel(name="TaskArea"),
                migrations.DeleteModel(name="Instrument"),
                migrations.DeleteModel(name="TargetGroup"),
                migrations.DeleteModel(name="FundingSource"),
            ],
            database_operations=[],
        ),
    ]
