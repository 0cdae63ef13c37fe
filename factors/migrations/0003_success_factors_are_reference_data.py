from django.db import migrations


class Migration(migrations.Migration):
    """The six success factors, their criteria and maturity levels are reference data now
    (`reference` took over their tables); this app forgets the models. Nothing in the
    database changes."""

    dependencies = [
        ("factors", "0002_adopt_invitations"),
        # Projects point at the factors in `reference` from here on.
        ("analysis", "0008_hand_over_reference_people_and_key_figures"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Criterion"),
                migrations.DeleteModel(name="MaturityLevel"),
                migrations.DeleteModel(name="SuccessFactor"),
            ],
            database_operations=[],
        ),
    ]
