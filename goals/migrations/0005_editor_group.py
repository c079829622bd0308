"""Create the "Redaktion" group with the permissions editors need (see goals.services)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def create_editor_group(apps, schema_editor):
    from goals.services import sync_editor_group

    # Permissions are normally created after all migrations ran; create them now for the apps
    # already migrated so the group can be granted them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_editor_group(apps)


def remove_editor_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Redaktion").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("goals", "0004_measure_goals_history_position"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("flatpages", "0001_initial"),
        ("events", "0001_initial"),
        ("participation", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_editor_group, remove_editor_group)]
