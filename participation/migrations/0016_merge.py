# Joins the branches that were developed side by side (statistics counts, goal page counts, placing).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0013_contribution_counts"),
        ("participation", "0014_fill_statistics_counts"),
        ("participation", "0015_placing_contributions"),
    ]

    operations = []
