"""„Meine Beiträge“ on the account page: what the citizen wrote, in every status, with the city's
answers and outcomes, and never what others wrote."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from participation.models import Comment, OfficialAnswer
from tests.participation.conftest import make_comment

ACCOUNT_URL = "/konto/uebersicht/"


def my_section(client) -> str:
    html = client.get(ACCOUNT_URL).content.decode()
    start = html.index('id="meine-beitraege"')
    return html[start : html.index("</section>", start)]


def test_lists_own_contributions_in_every_status_with_answer_and_outcome(
    citizen, citizen_client, other_citizen, goal, open_round, measure, editor
):
    answered = make_comment(
        goal=goal,
        comment_round=open_round,
        author=citizen,
        text="Mehr Radwege an der Volme!",
        outcome=Comment.Outcome.ADOPTED,
        outcome_measure=measure,
    )
    OfficialAnswer.objects.create(comment=answered, author=editor, text="Danke, wir prüfen das.")
    for status, text in [
        (Comment.Status.PENDING, "Wartet noch"),
        (Comment.Status.HIDDEN, "Wurde ausgeblendet"),
        (Comment.Status.WITHDRAWN, "Zurückgezogen"),
    ]:
        make_comment(goal=goal, comment_round=open_round, author=citizen, text=text, status=status)
    make_comment(goal=goal, comment_round=open_round, author=other_citizen, text="Fremder Text")

    section = my_section(citizen_client)
    for label in ["Veröffentlicht", "Wartet auf Moderation", "Von der Moderation ausgeblendet",
                  "Von der verfassenden Person zurückgezogen"]:  # fmt: skip
        assert label in section
    assert "Mehr Radwege an der Volme!" in section
    assert f'href="/ziele/{goal.slug}/#beitrag-{answered.pk}"' in section
    assert "Antwort der Stadt Hagen" in section and "Danke, wir prüfen das." in section
    assert "Übernommen" in section and measure.get_absolute_url() in section
    assert "Fremder Text" not in section


def test_without_contributions_the_section_leads_to_the_goals(citizen_client):
    section = my_section(citizen_client)
    assert "noch keinen Beitrag" in section and 'href="/ziele/"' in section


def count_queries(client) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(ACCOUNT_URL).status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def test_query_count_does_not_grow_with_contributions(
    citizen, citizen_client, goal, open_round, measure, editor
):
    def add(n: int) -> None:
        for i in range(n):
            comment = make_comment(
                goal=goal,
                comment_round=open_round,
                author=citizen,
                text=f"Beitrag {i}",
                outcome=Comment.Outcome.ADOPTED,
                outcome_measure=measure,
            )
            OfficialAnswer.objects.create(comment=comment, author=editor, text="Antwort")

    add(2)
    small = count_queries(citizen_client)
    add(20)
    large = count_queries(citizen_client)
    assert len(large) == len(small), "\n".join(large)
