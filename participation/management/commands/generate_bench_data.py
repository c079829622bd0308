"""Synthetic load data for bench/run: 16 goals, 60 events, 10,000 accounts, 100,000 contributions.

Everything it creates is unmistakably synthetic ("Benchmark-…" titles, slugs and names, accounts
at @benchmark.example.org) and is found again by those markers: a second run with the same seed
and scale leaves the data as it is (it only removes contributions posted through the form since,
e.g. by bench/run); other parameters, --reset or incomplete data replace all synthetic data. The
real seed data (goals, events, rounds) is never changed. Runs only with DJANGO_DEMO=true or
--yes-benchmark-database, so it never writes into production data by accident.
"""

import random
import secrets
import time
from collections.abc import Iterable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, models, transaction

from events.models import District, Event
from goals.models import TOTAL_GOALS, Goal, KeyMessage, Measure, MeasureGoal
from hagen_isek.page_cache import bump_content_version
from participation.models import (
    Comment,
    CommentRound,
    EvaluationTag,
    ModerationLogEntry,
    OfficialAnswer,
    Report,
    Support,
    User,
)
from participation.services.tally import tally_rebuild

BERLIN = ZoneInfo("Europe/Berlin")
BATCH = 5000

TOTAL_EVENTS = 60
ACCOUNTS = 10_000
CONTRIBUTIONS = 100_000
BUSIEST_SHARE = 0.2  # one goal draws 20,000 of the 100,000 contributions
REPLY_SHARE = 0.25
ROUND_1_SHARE = 0.4

GOAL_SLUG = "benchmark-ziel-"
MEASURE_SLUG = "benchmark-massnahme-"
EVENT_SLUG = "benchmark-veranstaltung-"
ROUND_SLUG = "benchmark-runde-"
EMAIL_DOMAIN = "@benchmark.example.org"
TAG_NAME = "Benchmark-Schlagwort "
SYNTHETIC = "Synthetische Lastdaten für den Benchmark (generate_bench_data), kein Inhalt des ISEK."

# Fixed windows, so the same seed gives the same data on any day: the first round is closed,
# the second open until the end of 2035 (bench/run posts into it).
ROUNDS = [
    {
        "slug": ROUND_SLUG + "1",
        "title": "Benchmark-Runde 1 (synthetisch)",
        "starts_at": datetime(2025, 2, 1, tzinfo=BERLIN),
        "ends_at": datetime(2025, 3, 1, tzinfo=BERLIN),
        "moderation": CommentRound.Moderation.PRE,
    },
    {
        "slug": ROUND_SLUG + "2",
        "title": "Benchmark-Runde 2 (synthetisch)",
        "starts_at": datetime(2025, 9, 1, tzinfo=BERLIN),
        "ends_at": datetime(2036, 1, 1, tzinfo=BERLIN),
        "moderation": CommentRound.Moderation.POST,
    },
]
# Contributions of the open round are dated within its first year.
ROUND_2_CONTRIBUTIONS_UNTIL = datetime(2026, 9, 1, tzinfo=BERLIN)

SENTENCES = [
    "Die Innenstadt braucht mehr Grün und Schatten an heißen Tagen.",
    "Sichere Radwege zwischen den Stadtteilen würden viele aufs Rad bringen.",
    "Der Busverkehr am Abend sollte dichter getaktet werden.",
    "Leerstehende Ladenlokale könnten für Kultur und Start-ups genutzt werden.",
    "Die Volme sollte an mehr Stellen erlebbar und zugänglich werden.",
    "Spielplätze im Quartier brauchen dringend eine Erneuerung.",
    "Wohnungen für Familien müssen bezahlbar bleiben.",
    "Für ältere Menschen fehlen barrierefreie Wege und Sitzbänke.",
    "Die Schulen im Stadtteil sollten abends für Vereine offen stehen.",
    "Mehr Beleuchtung würde die Unterführungen sicherer machen.",
    "Ein Quartiersbüro als Anlaufstelle wäre eine große Hilfe.",
    "Die Parkplatzsuche belastet die Wohnstraßen sehr.",
    "Wochenmärkte beleben die Zentren und sollten gestärkt werden.",
    "Brachflächen sollten vor neuen Flächen am Stadtrand bebaut werden.",
    "Jugendliche brauchen Treffpunkte, an denen sie willkommen sind.",
    "Die Wanderwege rund um die Stadt sollten besser ausgeschildert sein.",
    "Carsharing-Stationen in jedem Stadtteil wären sinnvoll.",
    "Ich wünsche mir mehr Bürgerbeteiligung bei konkreten Bauprojekten.",
    "Die Sauberkeit auf den Plätzen lässt oft zu wünschen übrig.",
    "Kitaplätze fehlen gerade in den wachsenden Quartieren.",
    "Fassadenbegrünung könnte das Stadtklima spürbar verbessern.",
    "Der Bahnhofsvorplatz sollte einladender gestaltet werden.",
    "Gute Ideen gibt es viele, wichtig ist eine verlässliche Umsetzung.",
    "Vereine und Ehrenamt brauchen Räume, die sie günstig nutzen können.",
]


def _in_batches(objects: list, model: type[models.Model]) -> list:
    """bulk_create in batches; returns the objects with their primary keys."""
    for start in range(0, len(objects), BATCH):
        model.objects.bulk_create(objects[start : start + BATCH])
    return objects


def _purge(queryset: models.QuerySet) -> int:
    """Delete rows and, first, everything that depends on them, with one DELETE per table.

    Django's delete() loads every row into Python when signals listen (the page cache does),
    which takes minutes for 100,000 contributions. Relations that set NULL are set to NULL.
    """
    model = queryset.model
    removed = 0
    for relation in model._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete):
            continue
        if not (relation.one_to_many or relation.one_to_one):
            continue
        related = relation.related_model._base_manager.filter(
            **{f"{relation.field.name}__in": queryset.values("pk")}
        )
        if relation.related_model is model:
            continue  # self-references (replies) are part of the same queryset
        if relation.on_delete is models.SET_NULL:
            related.update(**{relation.field.name: None})
        elif relation.on_delete is not models.DO_NOTHING:
            removed += _purge(related)
    # QuerySet._raw_delete: one DELETE statement without collecting rows (private, stable API).
    return removed + queryset._raw_delete(queryset.db)


class Command(BaseCommand):
    help = (
        "Generate synthetic load data for the benchmark (bench/run): 16 goals, 60 events, "
        "10,000 accounts, 100,000 contributions. Only with DJANGO_DEMO=true or "
        "--yes-benchmark-database; safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2035, help="Random seed (2035).")
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Share of the full volume of accounts and contributions, e.g. 0.01 (1).",
        )
        parser.add_argument(
            "--reset", action="store_true", help="Replace existing synthetic data in any case."
        )
        parser.add_argument(
            "--yes-benchmark-database",
            action="store_true",
            help="Confirm that this database is a benchmark database (needed without "
            "DJANGO_DEMO=true).",
        )

    def handle(self, *args, **options) -> None:
        if not (settings.DEMO_MODE or options["yes_benchmark_database"]):
            raise CommandError(
                "Refused: generate_bench_data writes 100,000 synthetic contributions. Run it only "
                "on a benchmark database, with DJANGO_DEMO=true or --yes-benchmark-database."
            )
        if not 0 < options["scale"] <= 1:
            raise CommandError("--scale must be above 0 and at most 1.")
        started = time.monotonic()
        self.rng = random.Random(options["seed"])
        self.scale = options["scale"]
        self.signature = f"Parameter: seed {options['seed']}, scale {options['scale']:g}."
        with transaction.atomic():
            if not options["reset"] and self.is_complete():
                removed = self.remove_posts()
                message = "Benchmark data already there"
                if removed:
                    message += f"; removed {removed} contributions posted since"
            else:
                removed = self.remove_all()
                if removed:
                    self.stdout.write(f"Removed the old synthetic data ({removed:,} rows).")
                self.generate()
                message = "Benchmark data generated"
            tally_rebuild()  # the rows went in with bulk_create and raw deletes, without signals
        if connection.vendor == "postgresql":
            # Fresh statistics, or the planner takes the goal with 20,000 rows for one with 2.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        bump_content_version()
        self.stdout.write(
            f"{message}: {self.counts()} ({time.monotonic() - started:.1f} s, {self.signature})"
        )

    # Detection and removal ---------------------------------------------------------------------

    def expected_contributions(self) -> int:
        return max(round(CONTRIBUTIONS * self.scale), 40)

    def expected_accounts(self) -> int:
        return max(round(ACCOUNTS * self.scale), 20)

    def bench_comments(self) -> models.QuerySet:
        return Comment.objects.filter(round__slug__startswith=ROUND_SLUG)

    def generated_comments(self) -> models.QuerySet:
        # Posted through the form means with a submission token; generated ones have none.
        return self.bench_comments().filter(submission_token__isnull=True)

    def is_complete(self) -> bool:
        first = CommentRound.objects.filter(slug=ROUNDS[0]["slug"]).first()
        return (
            first is not None
            and first.intro.endswith(self.signature)
            and CommentRound.objects.filter(slug__startswith=ROUND_SLUG).count() == len(ROUNDS)
            and self.generated_comments().count() == self.expected_contributions()
            and User.objects.filter(email__endswith=EMAIL_DOMAIN).count()
            == self.expected_accounts()
            and Goal.objects.count() == TOTAL_GOALS
        )

    def remove_posts(self) -> int:
        posted = self.bench_comments().filter(submission_token__isnull=False)
        replies = self.bench_comments().filter(parent__in=posted.values("pk"))
        return _purge(replies) + _purge(posted)

    def remove_all(self) -> int:
        removed = _purge(self.bench_comments())
        for queryset in (
            CommentRound.objects.filter(slug__startswith=ROUND_SLUG),
            User.objects.filter(email__endswith=EMAIL_DOMAIN),
            Event.objects.filter(slug__startswith=EVENT_SLUG),
            Measure.objects.filter(slug__startswith=MEASURE_SLUG),
            Goal.objects.filter(slug__startswith=GOAL_SLUG),
            EvaluationTag.objects.filter(name__startswith=TAG_NAME),
        ):
            removed += _purge(queryset)
        return removed

    def counts(self) -> str:
        comments = self.bench_comments()
        return (
            f"{Goal.objects.count()} goals, {Event.objects.count()} events, "
            f"{User.objects.filter(email__endswith=EMAIL_DOMAIN).count():,} synthetic accounts, "
            f"{comments.count():,} contributions "
            f"({comments.filter(parent__isnull=False).count():,} replies), "
            f"{Support.objects.filter(comment__in=comments.values('pk')).count():,} supports, "
            f"{Report.objects.filter(comment__in=comments.values('pk')).count():,} reports, "
            f"{OfficialAnswer.objects.filter(comment__in=comments.values('pk')).count():,} "
            f"official answers, {comments.exclude(outcome='').count():,} outcomes"
        )

    # Generation --------------------------------------------------------------------------------

    def text(self, low: int = 1, high: int = 6) -> str:
        return " ".join(self.rng.choices(SENTENCES, k=self.rng.randint(low, high)))

    def generate(self) -> None:
        step = time.monotonic()
        goals = self.make_goals()
        self.make_events(goals)
        rounds = self.make_rounds()
        self.stdout.write(f"  goals, measures, events, rounds: {time.monotonic() - step:.1f} s")
        step = time.monotonic()
        users = self.make_accounts()
        self.stdout.write(f"  {len(users):,} accounts: {time.monotonic() - step:.1f} s")
        step = time.monotonic()
        comments = self.make_contributions(goals, rounds, users)
        self.stdout.write(f"  {len(comments):,} contributions: {time.monotonic() - step:.1f} s")
        step = time.monotonic()
        supports = self.make_supports(comments, users)
        self.stdout.write(f"  {supports:,} supports: {time.monotonic() - step:.1f} s")
        step = time.monotonic()
        self.make_moderation(comments, users)
        self.stdout.write(f"  reports, answers, log, tags: {time.monotonic() - step:.1f} s")

    def make_goals(self) -> list[Goal]:
        """Synthetic published goals up to 16, each with key messages and measures."""
        missing = max(TOTAL_GOALS - Goal.objects.count(), 0)
        first = Goal.objects.count() + 1
        new_goals = _in_batches(
            [
                Goal(
                    slug=f"{GOAL_SLUG}{n}",
                    title=f"Benchmark-Ziel {n}",
                    claim="synthetische Lastdaten",
                    intro=SYNTHETIC,
                    source="generate_bench_data",
                    position=100 + n,
                    status=Goal.Status.PUBLISHED,
                )
                for n in range(first, first + missing)
            ],
            Goal,
        )
        key_messages, measures, links = [], [], []
        for goal in new_goals:
            number = goal.slug.removeprefix(GOAL_SLUG)
            for k in range(1, self.rng.randint(3, 4) + 1):
                key_messages.append(
                    KeyMessage(
                        goal=goal,
                        position=k,
                        text=f"Benchmark-Kernbotschaft {number}.{k}: {self.text(1, 2)}",
                    )
                )
            for m in range(1, self.rng.randint(5, 10) + 1):
                measure = Measure(
                    slug=f"{MEASURE_SLUG}{number}-{m}",
                    text=f"Benchmark-Maßnahme {number}.{m}: {self.text(1, 1)}",
                    description=SYNTHETIC,
                    status=self.rng.choice(Measure.Status.values),
                    department="synthetisch",
                    is_published=True,
                )
                measures.append(measure)
                links.append(MeasureGoal(measure=measure, goal=goal, position=m))
        _in_batches(key_messages, KeyMessage)
        _in_batches(measures, Measure)
        # Some measures serve a second synthetic goal, as real ones do.
        if len(new_goals) > 1:
            for link in self.rng.sample(links, len(links) // 5):
                other = self.rng.choice([g for g in new_goals if g is not link.goal])
                links.append(MeasureGoal(measure=link.measure, goal=other, position=50))
        _in_batches(links, MeasureGoal)
        return list(Goal.objects.published().order_by("position", "number", "pk"))

    def make_events(self, goals: list[Goal]) -> None:
        missing = max(TOTAL_EVENTS - Event.objects.count(), 0)
        districts = list(District.objects.order_by("pk")) or [None]
        first_day = datetime(2025, 1, 13, 18, tzinfo=BERLIN)
        events = []
        for n in range(1, missing + 1):
            starts_at = first_day + timedelta(days=self.rng.randint(0, 900))
            events.append(
                Event(
                    slug=f"{EVENT_SLUG}{n}",
                    title=f"Benchmark-Veranstaltung {n}",
                    kind=self.rng.choice(Event.Kind.values),
                    audience=self.rng.choice(Event.Audience.values),
                    district=self.rng.choice(districts),
                    venue="Benchmark-Ort (synthetisch)",
                    starts_at=starts_at,
                    ends_at=starts_at + timedelta(hours=self.rng.randint(1, 3)),
                    description=SYNTHETIC + " " + self.text(2, 4),
                    source="generate_bench_data",
                    is_published=True,
                )
            )
        _in_batches(events, Event)
        through = Event.goals.through
        _in_batches(
            [
                through(event=event, goal=goal)
                for event in events
                for goal in self.rng.sample(goals, self.rng.randint(1, 3))
            ],
            through,
        )

    def make_rounds(self) -> list[CommentRound]:
        rounds = []
        for data in ROUNDS:
            intro = SYNTHETIC
            if data is ROUNDS[0]:
                intro += " " + self.signature  # the marker is_complete() looks for
            rounds.append(
                CommentRound.objects.create(**data, intro=intro, is_published=True, is_demo=True)
            )
        return rounds

    def make_accounts(self) -> list[User]:
        # One hash for all: hashing 10,000 passwords would take hours. Nobody knows the password.
        password = make_password(secrets.token_urlsafe(16))
        joined = datetime(2025, 1, 1, tzinfo=BERLIN)
        users = [
            User(
                email=f"konto-{n:05d}{EMAIL_DOMAIN}",
                display_name=f"Benchmark-Konto {n}",
                password=password,
                date_joined=(day := joined + timedelta(minutes=self.rng.randint(0, 600_000))),
                netiquette_accepted_at=day,
                privacy_accepted_at=day,
            )
            for n in range(1, self.expected_accounts() + 1)
        ]
        _in_batches(users, User)
        _in_batches(
            [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
            EmailAddress,
        )
        return users

    def goal_shares(self, goals: list[Goal]) -> list[tuple[Goal, int]]:
        """The first published goal draws 20 %, the others share the rest very unevenly
        (the second 18 %, the last 1.3 % with 14 published goals)."""
        total = self.expected_contributions()
        busiest = round(total * BUSIEST_SHARE)
        weights = [1 / (rank + 2) for rank in range(len(goals) - 1)]
        others = [int((total - busiest) * w / sum(weights)) for w in weights]
        for index in range(total - busiest - sum(others)):  # what rounding left, to the least busy
            others[-1 - index % len(others)] += 1
        return list(zip(goals, [busiest, *others], strict=True))

    def make_contributions(
        self, goals: list[Goal], rounds: list[CommentRound], users: list[User]
    ) -> list[Comment]:
        rng = self.rng
        # A few accounts write a lot, most write once or never.
        cum_weights = []
        running = 0.0
        for rank in range(len(users)):
            running += 1 / (rank + 1) ** 0.8
            cum_weights.append(running)
        key_messages: dict[int, list[KeyMessage]] = {}
        for key_message in KeyMessage.objects.filter(goal__in=goals):
            key_messages.setdefault(key_message.goal_id, []).append(key_message)
        measures: dict[int, list[Measure]] = {}
        for link in MeasureGoal.objects.filter(goal__in=goals).select_related("measure"):
            measures.setdefault(link.goal_id, []).append(link.measure)
        events = list(Event.objects.filter(slug__startswith=EVENT_SLUG).order_by("pk"))
        windows = [
            (rounds[0].starts_at, rounds[0].ends_at),
            (rounds[1].starts_at, ROUND_2_CONTRIBUTIONS_UNTIL),
        ]

        def contribution(goal: Goal, round_index: int, when: datetime, parent=None) -> Comment:
            comment = Comment(
                goal=goal,
                round=rounds[round_index],
                parent=parent,
                author=rng.choices(users, cum_weights=cum_weights)[0],
                text=self.text(1, 3) if parent else self.text(),
                created_at=when,
            )
            roll = rng.random()
            if roll < 0.02:
                comment.status = Comment.Status.HIDDEN
                comment.moderated_at = when + timedelta(hours=rng.randint(1, 48))
                comment.moderation_reason = rng.choice(Comment.ModerationReason.values)
            elif roll < 0.05:
                comment.status = Comment.Status.WITHDRAWN
            elif roll < 0.055 and round_index == 0:
                comment.status = Comment.Status.PENDING
            if parent is None and comment.status == Comment.Status.PUBLISHED:
                roll = rng.random()
                if round_index == 0 and roll < 0.08:  # the city evaluated part of round 1
                    comment.outcome = rng.choice(Comment.Outcome.values)
                    comment.outcome_note = "Begründung (synthetisch): " + self.text(1, 2)
                    comment.outcome_at = windows[0][1] + timedelta(days=rng.randint(10, 90))
                elif roll > 0.99 and events:  # workshop input typed in by the editors
                    comment.source = Comment.Source.EVENT
                    comment.event = rng.choice(events)
                    comment.author = None
            if parent is None and goal.pk in key_messages and rng.random() < 0.3:
                comment.key_message = rng.choice(key_messages[goal.pk])
            elif parent is None and goal.pk in measures and rng.random() < 0.25:
                comment.measure = rng.choice(measures[goal.pk])
            return comment

        def moment(round_index: int) -> datetime:
            start, end = windows[round_index]
            return start + timedelta(seconds=rng.randint(0, int((end - start).total_seconds())))

        top_level, planned_replies = [], []
        for goal, count in self.goal_shares(goals):
            replies = int(count * REPLY_SHARE)
            for _ in range(count - replies):
                index = 0 if rng.random() < ROUND_1_SHARE else 1
                top_level.append(contribution(goal, index, moment(index)))
            planned_replies.append((len(top_level) - (count - replies), count - replies, replies))
        _in_batches(top_level, Comment)
        replies = []
        for offset, parents, count in planned_replies:
            hot = max(parents // 50, 1)
            for _ in range(count):
                # Most replies gather under a few contributions (2 %), the rest anywhere.
                pick = rng.randrange(hot) if rng.random() < 0.4 else rng.randrange(parents)
                parent = top_level[offset + pick]
                index = rounds.index(parent.round)
                when = parent.created_at + timedelta(minutes=rng.randint(5, 20_000))
                when = min(when, windows[index][1])
                replies.append(contribution(parent.goal, index, when, parent=parent))
        _in_batches(replies, Comment)
        return top_level + replies

    def make_supports(self, comments: Iterable[Comment], users: list[User]) -> int:
        supports = []
        created = 0
        for comment in comments:
            if comment.status != Comment.Status.PUBLISHED:
                continue
            count = min(int(self.rng.paretovariate(1.6)) - 1, 300, len(users))
            for user in self.rng.sample(users, count):
                supports.append(Support(comment=comment, user=user))
            if len(supports) >= BATCH:
                created += len(Support.objects.bulk_create(supports))
                supports = []
        created += len(Support.objects.bulk_create(supports))
        return created

    def make_moderation(self, comments: list[Comment], users: list[User]) -> None:
        """Reports (1 % of contributions, decided where hidden), a log entry per hidden one,
        official answers (3 % of round 1) and evaluation tags (5 %)."""
        rng = self.rng
        reports, log, answers = [], [], []
        for comment in comments:
            hidden = comment.status == Comment.Status.HIDDEN
            if hidden or rng.random() < 0.01:
                for reporter in rng.sample(users, min(rng.randint(1, 3), len(users))):
                    reports.append(
                        Report(
                            comment=comment,
                            reporter=reporter,
                            reason=rng.choice(Report.Reason.values),
                            created_at=comment.created_at + timedelta(hours=rng.randint(1, 24)),
                            resolved_at=comment.moderated_at,
                        )
                    )
            if hidden:
                log.append(
                    ModerationLogEntry(
                        comment=comment,
                        action=ModerationLogEntry.Action.HIDE,
                        old_status=Comment.Status.PUBLISHED,
                        new_status=Comment.Status.HIDDEN,
                        reason=comment.moderation_reason,
                        created_at=comment.moderated_at,
                    )
                )
            if comment.outcome or (
                comment.parent_id is None
                and comment.status == Comment.Status.PUBLISHED
                and comment.round.slug == ROUNDS[0]["slug"]
                and rng.random() < 0.03
            ):
                answers.append(
                    OfficialAnswer(
                        comment=comment,
                        text="Antwort der Stadt (synthetisch): " + self.text(1, 3),
                        created_at=comment.created_at + timedelta(days=rng.randint(3, 60)),
                    )
                )
        _in_batches(reports, Report)
        _in_batches(log, ModerationLogEntry)
        _in_batches(answers, OfficialAnswer)
        tags = _in_batches(
            [EvaluationTag(name=f"{TAG_NAME}{n}", description=SYNTHETIC) for n in range(1, 9)],
            EvaluationTag,
        )
        through = Comment.tags.through
        _in_batches(
            [
                through(comment=comment, evaluationtag=rng.choice(tags))
                for comment in comments
                if rng.random() < 0.05
            ],
            through,
        )
