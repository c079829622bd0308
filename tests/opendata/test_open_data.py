"""Open data: the DCAT catalogue parses, every distribution answers, nothing private leaks."""

import json

import pytest
from django.urls import reverse
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

from opendata.datasets import DATASETS
from participation.models import Comment, CommentRound, User
from tests.participation.conftest import make_comment

DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")


@pytest.fixture
def contributions(seeded, citizen):
    from django.utils import timezone

    from goals.models import Goal

    goal = Goal.objects.published().first()
    now = timezone.now()
    comment_round = CommentRound.objects.create(
        title="Runde",
        slug="runde-offen",
        starts_at=now - timezone.timedelta(days=1),
        ends_at=now + timezone.timedelta(days=1),
        is_published=True,
    )
    for status in Comment.Status.values:
        make_comment(
            goal=goal,
            comment_round=comment_round,
            author=citizen,
            text=f"Text {status}",
            status=status,
        )
    make_comment(goal=goal, comment_round=comment_round, author=citizen, text="=HYPERLINK(1)")
    return goal


def test_catalogue_parses_and_every_distribution_answers(client, contributions):
    response = client.get(reverse("opendata:catalog"))
    assert response["Content-Type"] == "application/ld+json; charset=utf-8"
    graph = Graph().parse(data=response.content, format="json-ld")
    datasets = list(graph.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) == len(DATASETS)
    for dataset in datasets:
        assert graph.value(dataset, DCTERMS.title)
        assert graph.value(dataset, DCTERMS.description)
        assert graph.value(dataset, DCTERMS.publisher)
        assert graph.value(dataset, DCTERMS.license) == URIRef(
            "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
        )
        distributions = list(graph.objects(dataset, DCAT.distribution))
        assert len(distributions) == 2
        for distribution in distributions:
            url = str(graph.value(distribution, DCAT.downloadURL))
            media_type = str(graph.value(distribution, DCAT.mediaType)).rsplit("/", 2)[-2:]
            answer = client.get(url)
            assert answer.status_code == 200, url
            assert answer["Content-Type"] == f"{'/'.join(media_type)}; charset=utf-8"
            body = b"".join(answer.streaming_content).decode()
            for user in User.objects.all():
                assert user.email not in body
                assert user.display_name not in body
            assert "@" not in body.replace("@context", "")
            for secret in ["Text pending", "Text hidden", "Text withdrawn"]:
                assert secret not in body


def test_contributions_are_anonymised_and_guarded_against_formulas(client, contributions):
    json_body = b"".join(client.get("/offene-daten/beitraege.json").streaming_content)
    data = json.loads(json_body)
    assert data["lizenz"]["kennung"] == "dl-de/by-2-0"
    assert sorted(row["text"] for row in data["daten"]) == ["=HYPERLINK(1)", "Text published"]
    csv_body = b"".join(client.get("/offene-daten/beitraege.csv").streaming_content).decode()
    assert "'=HYPERLINK(1)" in csv_body


def test_council_papers_are_seeded_from_the_facts_and_shown(client, seeded):
    from events.models import CouncilPaper

    assert sorted(CouncilPaper.objects.values_list("number", flat=True)) == [
        "0510/2018",
        "0730/2019",
        "0734/2018",
    ]
    html = client.get("/termine/rat-2019-11-14/").content.decode()
    assert "Beraten in" in html and "Beschlussvorlage 0730/2019" in html
    assert "Beraten in" in client.get("/termine/ablauf/").content.decode()
    from goals.models import Goal

    goal = Goal.objects.published().get(slug="hagener-zentren")
    goal_page = client.get(goal.get_absolute_url()).content.decode()
    assert "Beraten in" in goal_page and "Beschlussvorlage 0734/2018" in goal_page
    assert "16 Strategische Ziele für Hagen (Version Juli 2018)" in goal_page
    rows = json.loads(b"".join(client.get("/offene-daten/ratsdrucksachen.json").streaming_content))
    assert {row["nummer"] for row in rows["daten"]} == {"0510/2018", "0730/2019", "0734/2018"}


def test_open_data_page_is_linked_in_the_footer(client, seeded):
    assert 'href="/offene-daten/"' in client.get("/").content.decode()
    assert client.get("/offene-daten/").status_code == 200
