from django.db import migrations


def fill(apps, schema_editor):
    from participation.services.tally import recount

    recount(
        apps.get_model("participation", "Comment"),
        apps.get_model("participation", "Support"),
        apps.get_model("participation", "TallyCell"),
        apps.get_model("participation", "TalliedContribution"),
    )


class Migration(migrations.Migration):
    dependencies = [("participation", "0013_statistics_counts")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
