import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('analysis', '0003_record_indicator_source_file'),
    ]

    operations = [
        migrations.AlterField(
            model_name='indicatorvalue',
            name='missing_reason',
            field=models.CharField(blank=True, choices=[('', 'Not missing'), ('suppressed', 'Suppressed for privacy'), ('not_available', 'Not available'), ('not_applicable', 'Not applicable'), ('not_yet_available', 'Not yet available'), ('nil', 'Nil in the source')], max_length=20, verbose_name='why missing'),
        ),
        migrations.AddConstraint(
            model_name='analysis',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['not_started', 'in_progress', 'submitted', 'sent_back', 'approved'])), name='analysis_status_valid'),
        ),
        migrations.AddConstraint(
            model_name='externalactor',
            constraint=models.CheckConstraint(condition=models.Q(('kind__in', ['nav', 'husbanken', 'statsforvalteren', 'user_organisation', 'landlord', 'voluntary', 'other'])), name='external_actor_kind_valid'),
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
            model_name='indicatorvalue',
            constraint=models.CheckConstraint(condition=models.Q(('missing_reason__in', ['', 'suppressed', 'not_available', 'not_applicable', 'not_yet_available', 'nil'])), name='indicator_value_missing_reason_valid'),
        ),
        migrations.AddConstraint(
            model_name='invitation',
            constraint=models.CheckConstraint(condition=models.Q(('expires_at__gt', models.F('created_at'))), name='invitation_expires_after_creation'),
        ),
        migrations.AddConstraint(
            model_name='municipality',
            constraint=models.CheckConstraint(condition=models.Q(('valid_to__isnull', True), ('valid_to__gte', models.F('valid_from')), _connector='OR'), name='municipality_ends_after_it_starts'),
        ),
        migrations.AddConstraint(
            model_name='municipality',
            constraint=models.CheckConstraint(condition=models.Q(('language_form', ''), ('language_form__in', ['bokmål', 'nynorsk', 'nøytral']), _connector='OR'), name='municipality_language_form_valid'),
        ),
        migrations.AddConstraint(
            model_name='project',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['planned', 'active', 'completed', 'stopped'])), name='project_status_valid'),
        ),
        migrations.AddConstraint(
            model_name='question',
            constraint=models.CheckConstraint(condition=models.Q(('kind__in', ['text', 'yes_no', 'choice', 'scale'])), name='question_kind_valid'),
        ),
        migrations.AddConstraint(
            model_name='responsibility',
            constraint=models.CheckConstraint(condition=models.Q(('role__in', ['responsible', 'contributing'])), name='responsibility_role_valid'),
        ),
        migrations.AddConstraint(
            model_name='reviewcomment',
            constraint=models.CheckConstraint(condition=models.Q(('question__isnull', True), ('section__isnull', False), _connector='OR'), name='comment_on_question_names_its_section'),
        ),
        migrations.AddConstraint(
            model_name='section',
            constraint=models.CheckConstraint(condition=models.Q(('kind__in', ['questions', 'responsibility_map', 'cooperation', 'allocation', 'factors', 'projects'])), name='section_kind_valid'),
        ),
        migrations.AddConstraint(
            model_name='statuschange',
            constraint=models.CheckConstraint(condition=models.Q(('from_status__in', ['not_started', 'in_progress', 'submitted', 'sent_back', 'approved'])), name='status_change_from_valid'),
        ),
        migrations.AddConstraint(
            model_name='statuschange',
            constraint=models.CheckConstraint(condition=models.Q(('to_status__in', ['not_started', 'in_progress', 'submitted', 'sent_back', 'approved'])), name='status_change_to_valid'),
        ),
    ]
