"""Give Measure.goals an explicit through model (per-goal measure order), keeping the links.

The auto-created table goals_measure_goals becomes the table of MeasureGoal: the state switches
to the through model, the database only gains the position column and a named constraint.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("goals", "0002_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="MeasureGoal",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "goal",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="measure_links",
                                to="goals.goal",
                                verbose_name="goal",
                            ),
                        ),
                        (
                            "measure",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="goal_links",
                                to="goals.measure",
                                verbose_name="measure",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "goals_measure_goals",
                        "verbose_name": "measure of a goal",
                        "verbose_name_plural": "measures of a goal",
                        "ordering": ["goal", "position", "pk"],
                        "unique_together": {("measure", "goal")},
                    },
                ),
                migrations.AlterField(
                    model_name="measure",
                    name="goals",
                    field=models.ManyToManyField(
                        blank=True,
                        help_text="Every goal this measure serves.",
                        related_name="measures",
                        through="goals.MeasureGoal",
                        to="goals.goal",
                        verbose_name="goals",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="measuregoal",
            name="position",
            field=models.PositiveSmallIntegerField(
                default=0,
                help_text="Order of the measure on this goal's page.",
                verbose_name="position",
            ),
        ),
        # Replace the auto-created unique index (found by its columns) by a named constraint.
        migrations.AlterUniqueTogether(name="measuregoal", unique_together=set()),
        migrations.AddConstraint(
            model_name="measuregoal",
            constraint=models.UniqueConstraint(
                fields=("measure", "goal"), name="goals_measuregoal_unique"
            ),
        ),
    ]
