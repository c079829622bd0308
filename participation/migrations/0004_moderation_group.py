"""Formerly created the "Moderation" group by importing live code; the roles are now applied by
hagen_isek.roles after every migrate, so this migration does nothing (kept for the history)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0003_moderation_answers_outcomes_workshop"),
        ("goals", "0005_editor_group"),
        ("events", "0002_events_documents_milestones"),
    ]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
