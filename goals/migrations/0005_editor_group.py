"""Formerly created the "Redaktion" group by importing live code; the roles are now applied by
hagen_isek.roles after every migrate, so this migration does nothing (kept for the history)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("goals", "0004_measure_goals_history_position"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("flatpages", "0001_initial"),
        ("events", "0001_initial"),
        ("participation", "0001_initial"),
    ]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
