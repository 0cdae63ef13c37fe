import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models



def name_the_kind_of_existing_revisions(apps, schema_editor):
    Revision = apps.get_model("analysis", "Revision")
    Revision.objects.filter(assessment__isnull=False).update(kind="assessment")


class Migration(migrations.Migration):

    dependencies = [
        ('analysis', '0004_check_choice_values_in_the_database'),
        ('factors', '0001_initial'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='revision',
            name='revision_has_exactly_one_target',
        ),
        migrations.AddField(
            model_name='revision',
            name='kind',
            field=models.CharField(choices=[('answer', 'Answer'), ('assessment', 'Factor assessment'), ('responsibility_map', 'Who does what'), ('unit', 'Unit'), ('cooperation_body', 'Cooperation body'), ('external_actor', 'External actor'), ('allocation', 'Allocation practice'), ('project', 'Project'), ('assignment', 'Section assignment')], default='answer', max_length=20, verbose_name='kind'),
        ),
        migrations.AddField(
            model_name='revision',
            name='label',
            field=models.CharField(blank=True, max_length=300, verbose_name='what changed'),
        ),
        migrations.AddField(
            model_name='revision',
            name='object_id',
            field=models.PositiveBigIntegerField(blank=True, null=True, verbose_name='object'),
        ),
        migrations.AddIndex(
            model_name='revision',
            index=models.Index(fields=['analysis', 'kind', 'object_id'], name='analysis_re_analysi_d6647a_idx'),
        ),
        migrations.RunPython(name_the_kind_of_existing_revisions, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='revision',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('answer__isnull', False), ('assessment__isnull', True), ('kind', 'answer')), models.Q(('answer__isnull', True), ('assessment__isnull', False), ('kind', 'assessment')), models.Q(models.Q(('kind__in', ['answer', 'assessment']), _negated=True), ('answer__isnull', True), ('assessment__isnull', True)), _connector='OR'), name='revision_target_matches_kind'),
        ),
        migrations.AddConstraint(
            model_name='revision',
            constraint=models.CheckConstraint(condition=models.Q(('kind__in', ['answer', 'assessment', 'responsibility_map', 'unit', 'cooperation_body', 'external_actor', 'allocation', 'project', 'assignment'])), name='revision_kind_valid'),
        ),
    ]
