"""Keeps the statistics' counts (participation/models/tally.py) equal to a full recount.

`tally_sync` runs in the transaction of every write that can change a figure (connected in
participation/apps.py, so the admin, the shell and imports are covered too); it compares what
the database holds now with where each contribution was counted and moves the difference.
`tally_rebuild` recounts everything (the command `rebuild_statistics`, the data migration).
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from participation.models import Comment, Support, TalliedContribution, TallyCell
from participation.models.contributions import COUNTED_STATUSES
from participation.models.tally import NO_DISTRICT


def counted_now(comments, support_model=Support) -> dict[int, tuple[tuple, int]]:
    """Each counted contribution of `comments`: its cell key and its number of supports, as a full
    recount sees them (CommentQuerySet.counted and .with_district, written out with plain
    filters so that the data migration can use it with its historical models)."""
    supports = (
        support_model.objects.filter(comment=OuterRef("pk"))
        .order_by()
        .values("comment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        comments.filter(status__in=COUNTED_STATUSES)
        .annotate(
            tally_district=Coalesce(
                "author__district_id", "event__district_id", "district_id", Value(NO_DISTRICT)
            ),
            tally_supports=Coalesce(Subquery(supports), 0),
        )
        .order_by()
        .values_list(
            "pk",
            "goal_id",
            "round_id",
            "tally_district",
            "source",
            "status",
            "outcome",
            "tally_supports",
        )
    )
    return {
        pk: ((goal, round_, district, source, status == Comment.Status.HIDDEN, outcome), supports)
        for pk, goal, round_, district, source, status, outcome, supports in rows
    }


def _cell_fields(key: tuple) -> dict:
    goal, round_, district, source, is_hidden, outcome = key
    return {
        "goal_id": goal,
        "round_id": round_,
        "district_key": district,
        "source": source,
        "is_hidden": is_hidden,
        "outcome": outcome,
    }


def tally_sync(comment_ids: Iterable[int], *, inserted: bool = False) -> None:
    """Bring the counts of these contributions up to date (exact under concurrent writes).
    `inserted`: they were inserted in this transaction, so no other one sees them yet: none is
    counted, and none needs a lock."""
    ids = sorted(set(comment_ids))
    if not ids:
        return
    with transaction.atomic():
        if not inserted:
            # Lock first, in a statement of its own: the counts read below (a new statement,
            # so a new snapshot) then include every write to these contributions committed
            # before us. NO KEY UPDATE does not wait for a transaction that just inserted a
            # support of one of them (its foreign key holds a KEY SHARE lock), so two supports
            # cannot deadlock.
            list(
                Comment.objects.filter(pk__in=ids)
                .order_by("pk")
                .select_for_update(no_key=True)
                .values_list("pk", flat=True)
            )
        now = counted_now(Comment.objects.filter(pk__in=ids))
        tallied = (
            {}
            if inserted
            else {
                row.comment_id: row
                for row in TalliedContribution.objects.filter(comment_id__in=ids)
                .select_related("cell")
                .select_for_update(of=("self",))
            }
        )
        changes: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
        cells = {row.cell.key: row.cell for row in tallied.values()}
        stale, moved, added = [], [], []
        for pk in ids:
            before, after = tallied.get(pk), now.get(pk)
            if before is not None and (before.cell.key, before.supports) == after:
                continue
            if before is not None:
                changes[before.cell.key][0] -= 1
                changes[before.cell.key][1] -= before.supports
            if after is not None:
                key, supports = after
                changes[key][0] += 1
                changes[key][1] += supports
                if key not in cells:
                    cells[key], _created = TallyCell.objects.get_or_create(**_cell_fields(key))
                row = before or TalliedContribution(comment_id=pk)
                row.cell, row.supports = cells[key], supports
                (moved if before else added).append(row)
            else:
                stale.append(pk)
        for key, (contributions, supports) in changes.items():
            if contributions or supports:
                TallyCell.objects.filter(pk=cells[key].pk).update(
                    contributions=F("contributions") + contributions,
                    supports=F("supports") + supports,
                )
        if stale:
            TalliedContribution.objects.filter(comment_id__in=stale).delete()
        if moved:
            TalliedContribution.objects.bulk_update(moved, ["cell", "supports"])
        if added:
            TalliedContribution.objects.bulk_create(added)


def recount(comment_model, support_model, cell_model, tallied_model) -> None:
    """Replace every count with a full recount (models passed in for the data migration)."""
    tallied_model.objects.all().delete()
    cell_model.objects.all().delete()
    now = counted_now(comment_model.objects.all(), support_model)
    totals: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for key, supports in now.values():
        totals[key][0] += 1
        totals[key][1] += supports
    cells = cell_model.objects.bulk_create(
        cell_model(**_cell_fields(key), contributions=n, supports=s)
        for key, (n, s) in totals.items()
    )
    by_key = dict(zip(totals, cells, strict=True))
    tallied_model.objects.bulk_create(
        (
            tallied_model(comment_id=pk, cell_id=by_key[key].pk, supports=supports)
            for pk, (key, supports) in now.items()
        ),
        batch_size=5_000,
    )


def tally_rebuild() -> None:
    """Recount everything. Writes at the same moment wait for it (PostgreSQL), so none is lost."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            tables = ", ".join(
                connection.ops.quote_name(model._meta.db_table)
                for model in (TallyCell, TalliedContribution)
            )
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {tables} IN EXCLUSIVE MODE")
        recount(Comment, Support, TallyCell, TalliedContribution)


# Signals, not calls in each service: they also see the admin, the shell and code added later
# (the same reason as the page cache's, hagen_isek/page_cache.py). Writes that send no signal
# (queryset.update(), bulk_create()) call tally_sync themselves, e.g. the contribution import.


def _contributions_of(instance) -> list[int]:
    """The contributions whose cell depends on `instance` (a comment, support, account, event or
    district)."""
    from events.models import District, Event

    if isinstance(instance, Comment):
        return [instance.pk]
    if isinstance(instance, Support):
        return [instance.comment_id]
    if isinstance(instance, Event):
        lookup = {"event_id": instance.pk}
    elif isinstance(instance, District):
        return list(
            Comment.objects.filter(author__district_id=instance.pk).values_list("pk", flat=True)
        ) + list(
            Comment.objects.filter(event__district_id=instance.pk).values_list("pk", flat=True)
        )
    else:
        lookup = {"author_id": instance.pk}
    return list(Comment.objects.filter(**lookup).values_list("pk", flat=True))


def _saved(sender, instance, created=False, raw=False, update_fields=None, **kwargs) -> None:
    if raw:
        return  # fixtures: rebuild_statistics afterwards
    if sender not in (Comment, Support) and (
        created or (update_fields is not None and "district" not in update_fields)
    ):
        return  # a new account or event has no contributions; a login changes no district
    tally_sync(_contributions_of(instance), inserted=created and sender is Comment)


def _deleting(sender, instance, **kwargs) -> None:
    # Deleting an account or district first sets its contributions' references to NULL, so
    # they are looked up before.
    instance._tally_contributions = _contributions_of(instance)


def _deleted(sender, instance, **kwargs) -> None:
    tally_sync(getattr(instance, "_tally_contributions", None) or _contributions_of(instance))


def connect_tally() -> None:
    from django.db.models.signals import post_delete, post_save, pre_delete

    from events.models import District, Event
    from participation.models import User

    for model in (Comment, Support, User, Event, District):
        uid = f"tally:{model._meta.label}"
        post_save.connect(_saved, sender=model, dispatch_uid=uid)
        post_delete.connect(_deleted, sender=model, dispatch_uid=uid)
        if model in (User, District):
            pre_delete.connect(_deleting, sender=model, dispatch_uid=uid)
