"""The staff roles: which Django permissions the groups "Redaktion" and "Moderation" hold.

This table is the only definition of the two roles. `sync_roles` applies it after every
`migrate` (and after a test database is flushed), so a fresh database and an existing one end
up with exactly these permissions; changes made to the two groups in the admin are reset then.
"""

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS

EDITORS = "Redaktion"
MODERATORS = "Moderation"

ALL = ("add", "change", "delete", "view")
# Nobody edits these by hand: the portal writes them; staff only read them.
RECORD = ("view",)

# role -> {(app label, model): actions}; an action is a permission codename prefix.
ROLES: dict[str, dict[tuple[str, str], tuple[str, ...]]] = {
    EDITORS: {
        ("goals", "goal"): ALL,
        ("goals", "keymessage"): ALL,
        ("goals", "measure"): ALL,
        ("goals", "measuregoal"): ALL,
        ("events", "district"): ALL,
        ("events", "event"): ALL,
        ("events", "eventdocument"): ALL,
        ("events", "milestone"): ALL,
        ("events", "councilpaper"): ALL,
        # Written by the seed (schematic) and load_district_polygons (official) only.
        ("events", "districtarea"): RECORD,
        ("flatpages", "flatpage"): ("change", "view"),
        # The Leichte-Sprache page's four topics exist once each; the videos come and go.
        ("hagen_isek", "easylanguagesection"): ("change", "view"),
        ("hagen_isek", "signlanguagevideo"): ALL,
        ("participation", "commentround"): ("add", "change", "view"),
        # Workshop input, outcomes and the export; moderating is the Moderation role's work.
        ("participation", "comment"): ("add", "change", "view", "export"),
        ("participation", "evaluationtag"): ("add", "change", "view"),
        ("participation", "department"): ("add", "change", "view"),
        ("participation", "officialanswer"): ("add", "change", "view"),
        ("participation", "report"): RECORD,
        ("participation", "moderationlogentry"): RECORD,
        ("participation", "moderationdigest"): RECORD,
        ("participation", "support"): RECORD,
        ("participation", "contributionversion"): RECORD,
        # The evaluation workbench: editors run it, keep its word lists, confirm suggestions.
        ("workbench", "stopword"): ALL,
        ("workbench", "keyword"): ALL,
        ("workbench", "run"): ("add", "view"),
        ("workbench", "result"): ("change", "view"),
        ("workbench", "theme"): ("change", "view"),
        ("workbench", "duplicategroup"): RECORD,
        ("workbench", "logentry"): RECORD,
    },
    MODERATORS: {
        ("participation", "comment"): ("view", "change", "moderate"),
        ("participation", "commentround"): ("view",),
        ("participation", "report"): RECORD,
        ("participation", "moderationlogentry"): RECORD,
        ("participation", "contributionversion"): RECORD,
        ("participation", "objection"): RECORD,
        ("participation", "officialanswer"): ("add", "change", "view"),
        # Accounts: look at them and block or unblock; assigning roles is for superusers.
        ("participation", "user"): ("view", "block"),
        ("participation", "accountlogentry"): RECORD,
        ("goals", "goal"): ("view",),
        ("events", "event"): ("view",),
    },
}


def role_permissions(role: str) -> set[tuple[str, str]]:
    """The (app label, codename) pairs of a role."""
    return {
        (app_label, f"{action}_{model}")
        for (app_label, model), actions in ROLES[role].items()
        for action in actions
    }


def sync_roles(*, apps=global_apps, using: str = DEFAULT_DB_ALIAS) -> None:
    """Give each role's group exactly the permissions of ROLES (idempotent)."""
    # Permissions of apps that post_migrate has not reached yet are created here first.
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, interactive=False, using=using, apps=apps)
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for role in ROLES:
        wanted = role_permissions(role)
        permissions = [
            permission
            for permission in permission_model.objects.using(using).select_related("content_type")
            if (permission.content_type.app_label, permission.codename) in wanted
        ]
        missing = wanted - {(p.content_type.app_label, p.codename) for p in permissions}
        if missing:
            raise LookupError(f"Role {role!r} names unknown permissions: {sorted(missing)}")
        group, _created = group_model.objects.using(using).get_or_create(name=role)
        group.permissions.set(permissions)


def sync_roles_after_migrate(sender: AppConfig, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    # post_migrate is sent once per app with models, after all migrations ran; once is enough.
    if sender.label == "participation":
        sync_roles(using=using)
