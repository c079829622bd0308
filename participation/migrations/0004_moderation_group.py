"""Create the "Moderation" group with exactly its permissions, and let "Redaktion" curate the
events and participation models (goals.services.sync_editor_group) and export contributions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_EXTRA_PERMISSIONS = [("participation", "export_comment")]


def _permissions(apps, pairs):
    permission_model = apps.get_model("auth", "Permission")
    found = []
    for app_label, codename in pairs:
        found.append(
            permission_model.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return found


def create_groups(apps, schema_editor):
    from goals.services import EDITOR_GROUP, sync_editor_group
    from participation.services import sync_moderation_group

    # Permissions are normally created after all migrations ran; create them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_moderation_group(apps)
    group_model = apps.get_model("auth", "Group")
    sync_editor_group(apps)
    editors = group_model.objects.get(name=EDITOR_GROUP)
    editors.permissions.add(*_permissions(apps, EDITOR_EXTRA_PERMISSIONS))


def remove_moderation_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Moderation").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0003_moderation_answers_outcomes_workshop"),
        ("goals", "0005_editor_group"),
        ("events", "0002_events_documents_milestones"),
    ]

    operations = [migrations.RunPython(create_groups, remove_moderation_group)]
