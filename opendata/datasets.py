"""The open datasets: what each one holds, row by row, in a fixed number of queries.

Every dataset is public data only: published goals, measures, events and rounds, aggregated
figures, and anonymised published contributions (Comment.objects.public()) – never an e-mail
address, a pseudonym, a district finer than the Stadtbezirk or hidden, pending or withdrawn text.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import CouncilPaper, Event
from goals.models import Goal, Measure, MeasureGoal
from participation import statistics
from participation.models import Comment, CommentRound

Row = dict[str, object]


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    description: str
    columns: list[str]
    rows: Callable[[Callable[[str], str]], Iterator[Row]]
    keywords: list[str] = field(default_factory=list)


def _local(moment) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


def _published_goals() -> Prefetch:
    return Prefetch("goals", queryset=Goal.objects.published(), to_attr="public_goals")


def _papers(obj) -> list[str]:
    return [paper.number for paper in obj.council_papers.all()]


def goal_rows(absolute: Callable[[str], str]) -> Iterator[Row]:
    goals = Goal.objects.published().prefetch_related(
        "key_messages",
        Prefetch(
            "measure_links",
            queryset=MeasureGoal.objects.select_related("measure").filter(
                measure__is_published=True
            ),
        ),
        "council_papers",
    )
    for goal in goals:
        yield {
            "nummer": goal.number,
            "kennung": goal.slug,
            "titel": goal.title,
            "anspruch": goal.claim,
            "einfuehrung": goal.intro,
            "kernbotschaften": [message.text for message in goal.key_messages.all()],
            "massnahmen": [link.measure.slug for link in goal.measure_links.all()],
            "ratsdrucksachen": _papers(goal),
            "adresse": absolute(goal.get_absolute_url()),
        }


def measure_rows(absolute: Callable[[str], str]) -> Iterator[Row]:
    for measure in Measure.objects.public().with_public_goals():
        yield {
            "kennung": measure.slug,
            "text": measure.text,
            "beschreibung": measure.description,
            "stand": str(measure.get_status_display()),
            "zustaendig": measure.department,
            "ziele": [link.goal.slug for link in measure.public_goal_links],
            "adresse": absolute(measure.get_absolute_url()),
        }


def event_rows(absolute: Callable[[str], str]) -> Iterator[Row]:
    events = (
        Event.objects.published()
        .select_related("district")
        .prefetch_related(_published_goals(), "council_papers")
        .order_by("starts_at", "sorts_as", "pk")
    )
    for event in events:
        yield {
            "kennung": event.slug,
            "titel": event.title,
            "art": str(event.get_kind_display()),
            "zielgruppe": str(event.get_audience_display()),
            "status": str(event.get_status_display()),
            "stadtbezirk": event.district.name if event.district else "",
            "ort": event.venue,
            "anschrift": event.address,
            "beginn": _local(event.starts_at) if event.has_time else None,
            "ende": _local(event.ends_at) if event.has_time else None,
            "tag": timezone.localdate(event.starts_at).isoformat() if event.starts_at else None,
            "zeitraum_vorlaeufig": event.tentative_period,
            "beschreibung": event.description,
            "ziele": [goal.slug for goal in event.public_goals],
            "ratsdrucksachen": _papers(event),
            "quelle": event.source,
            "adresse": absolute(event.get_absolute_url()),
        }


def round_rows(absolute: Callable[[str], str]) -> Iterator[Row]:
    rounds = (
        CommentRound.objects.published()
        .with_comment_count()
        .prefetch_related(_published_goals())
        .order_by("starts_at", "pk")
    )
    now = timezone.now()
    for comment_round in rounds:
        yield {
            "kennung": comment_round.slug,
            "titel": comment_round.title,
            "beginn": _local(comment_round.starts_at),
            "ende": _local(comment_round.ends_at),
            "stand": str(comment_round.state(now).label),
            "moderation": "vorab" if comment_round.is_pre_moderated else "nachtraeglich",
            # A round without goals covers every published goal.
            "ziele": [goal.slug for goal in comment_round.public_goals] or ["alle"],
            "veroeffentlichte_beitraege": comment_round.comment_count,
        }


def figure_rows(absolute: Callable[[str], str]) -> Iterator[Row]:
    overview = statistics.overview()
    outcomes = [(key, f"ergebnis_{value}") for value, key, _label in statistics.OUTCOME_COLUMNS]
    for table in overview["tables"]:
        for row in table["rows"]:
            yield {
                "gliederung": table["id"],
                "bezeichnung": str(row["label"]),
                "beitraege_und_antworten": row["total"],
                "davon_ausgeblendet": row["hidden"],
                "davon_aus_veranstaltungen": row["workshop"],
                "zustimmungen": row["supports"],
                **{name: row[key] for key, name in outcomes},
            }


def contribution_rows(absolute: Callable[[str], str]) -> Iterator[Row]:
    """One query, read in chunks: 100,000 contributions never sit in memory at once."""
    labels = dict(Comment.Outcome.choices)
    sources = dict(Comment.Source.choices)
    rows = (
        Comment.objects.public()
        .annotate(
            day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()),
            # Only the district of workshop or imported input: next to the text and its id, the
            # author's own district would tell anyone where the pseudonym on the goal page
            # lives, which the sign-up form promises never to show.
            stadtbezirk=Coalesce("district__name", "event__district__name"),
        )
        .order_by("pk")
        .values_list(
            "pk",
            "goal__slug",
            "round__slug",
            "day",
            "source",
            "stadtbezirk",
            "parent_id",
            "outcome",
            "outcome_note",
            "text",
        )
    )
    for pk, goal, round_slug, day, source, district, parent, outcome, note, text in rows.iterator(
        chunk_size=2000
    ):
        yield {
            "id": pk,
            "ziel": goal,
            "runde": round_slug,
            "datum": day.isoformat(),
            "quelle": str(sources[source]),
            "stadtbezirk": district or "",
            "antwort_auf": parent,
            "ergebnis": str(labels.get(outcome, "")),
            "ergebnis_begruendung": note,
            "text": text,
        }


def council_paper_rows(absolute: Callable[[str], str]) -> Iterator[Row]:
    papers = CouncilPaper.objects.prefetch_related(
        _published_goals(),
        Prefetch("events", queryset=Event.objects.published(), to_attr="public_events"),
        "milestones",
    )
    for paper in papers:
        yield {
            "nummer": paper.number,
            "art": str(paper.get_kind_display()),
            "betreff": paper.title,
            "adresse_ratsinformationssystem": paper.url,
            "oparl_id": paper.oparl_id,
            "ziele": [goal.slug for goal in paper.public_goals],
            "sitzungen": [event.slug for event in paper.public_events],
            "verfahrensschritte": [milestone.title for milestone in paper.milestones.all()],
            "quelle": paper.source,
        }


DATASETS = [
    Dataset(
        slug="ziele",
        title=_("Strategic goals"),
        description=_(
            "The published strategic goals of HAGENplant 2035 with their key messages, the "
            "measures serving them and the council papers they were discussed in."
        ),
        columns=[
            "nummer",
            "kennung",
            "titel",
            "anspruch",
            "einfuehrung",
            "kernbotschaften",
            "massnahmen",
            "ratsdrucksachen",
            "adresse",
        ],
        rows=goal_rows,
        keywords=["Stadtentwicklung", "ISEK", "Ziele"],
    ),
    Dataset(
        slug="massnahmen",
        title=_("Measures"),
        description=_("The measures of the published goals with status, department and goals."),
        columns=["kennung", "text", "beschreibung", "stand", "zustaendig", "ziele", "adresse"],
        rows=measure_rows,
        keywords=["Stadtentwicklung", "ISEK", "Maßnahmen"],
    ),
    Dataset(
        slug="termine",
        title=_("Events"),
        description=_(
            "Workshops, forums and council sessions of the ISEK process: date (Berlin time), "
            "place, status, goals and council papers."
        ),
        columns=[
            "kennung",
            "titel",
            "art",
            "zielgruppe",
            "status",
            "stadtbezirk",
            "ort",
            "anschrift",
            "beginn",
            "ende",
            "tag",
            "zeitraum_vorlaeufig",
            "beschreibung",
            "ziele",
            "ratsdrucksachen",
            "quelle",
            "adresse",
        ],
        rows=event_rows,
        keywords=["Stadtentwicklung", "ISEK", "Veranstaltungen", "Bürgerbeteiligung"],
    ),
    Dataset(
        slug="beteiligungsrunden",
        title=_("Comment rounds"),
        description=_(
            "The comment rounds: period, moderation, goals open for comment and the number of "
            "published contributions."
        ),
        columns=[
            "kennung",
            "titel",
            "beginn",
            "ende",
            "stand",
            "moderation",
            "ziele",
            "veroeffentlichte_beitraege",
        ],
        rows=round_rows,
        keywords=["Bürgerbeteiligung", "ISEK"],
    ),
    Dataset(
        slug="beteiligung-in-zahlen",
        title=_("Participation in figures"),
        description=_(
            "Contributions, supports and outcomes per goal, comment round, district and "
            "source, as on the statistics page (aggregated; no single contribution)."
        ),
        columns=[
            "gliederung",
            "bezeichnung",
            "beitraege_und_antworten",
            "davon_ausgeblendet",
            "davon_aus_veranstaltungen",
            "zustimmungen",
            *[f"ergebnis_{value}" for value, _key, _label in statistics.OUTCOME_COLUMNS],
        ],
        rows=figure_rows,
        keywords=["Bürgerbeteiligung", "Statistik"],
    ),
    Dataset(
        slug="beitraege",
        title=_("Contributions (anonymised)"),
        description=_(
            "Every published contribution with goal, comment round, day, outcome and, for "
            "input from workshops, their district (Stadtbezirk); without names, pseudonyms, "
            "accounts or the authors' districts. Hidden, withdrawn and unmoderated "
            "contributions are not included."
        ),
        columns=[
            "id",
            "ziel",
            "runde",
            "datum",
            "quelle",
            "stadtbezirk",
            "antwort_auf",
            "ergebnis",
            "ergebnis_begruendung",
            "text",
        ],
        rows=contribution_rows,
        keywords=["Bürgerbeteiligung", "Beiträge", "ISEK"],
    ),
    Dataset(
        slug="ratsdrucksachen",
        title=_("Council papers"),
        description=_(
            "The papers of the council information system the goals, events and steps of the "
            "decision process were discussed in, with number, subject and address."
        ),
        columns=[
            "nummer",
            "art",
            "betreff",
            "adresse_ratsinformationssystem",
            "oparl_id",
            "ziele",
            "sitzungen",
            "verfahrensschritte",
            "quelle",
        ],
        rows=council_paper_rows,
        keywords=["Ratsinformationssystem", "OParl", "ISEK"],
    ),
]
BY_SLUG = {dataset.slug: dataset for dataset in DATASETS}
