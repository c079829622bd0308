"""The discussion on a goal page, /beteiligung/ and the home section, as visitors see them."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hagen_isek import site_content
from participation.models import Comment, Support
from participation.services import user_contributions
from tests.conftest import logged_in
from tests.html import links_in, parse, tallies
from tests.participation.conftest import make_comment, make_round

pytestmark = pytest.mark.django_db


def page(client, goal, query="") -> str:
    response = client.get(goal.get_absolute_url() + query)
    assert response.status_code == 200
    return response.content.decode()


def test_anonymous_reads_and_gets_login_links_back_to_the_goal(client, goal, open_round, comment):
    html = page(client, goal)
    assert "Mehr Radwege!" in html
    assert f'id="beitrag-{comment.pk}"' in html
    assert "/konto/login/?next=%2Fziele%2Fmobilitaet-neu-denken%2F%23beitraege" in html
    assert "/konto/signup/?next=%2Fziele%2Fmobilitaet-neu-denken%2F%23beitraege" in html
    assert 'name="text"' not in html


def test_verified_citizen_sees_the_form_while_round_is_open(
    citizen_client, goal, open_round, key_message
):
    html = page(citizen_client, goal)
    assert "Die Beteiligungsrunde „Testrunde“ ist bis" in html
    assert 'action="/ziele/mobilitaet-neu-denken/beitraege/neu/"' in html
    assert "Verkehrsbelastungen verringern" in html  # key message choice


def test_unverified_account_sees_why_it_cannot_write(unverified, goal, open_round):
    html = page(logged_in(unverified), goal)
    assert "Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse" in html
    assert 'name="text"' not in html


def test_closed_round_shows_its_dates_instead_of_the_form(citizen_client, goal):
    make_round(
        title="1. Phase der Onlinebeteiligung",
        starts_at=timezone.make_aware(timezone.datetime(2018, 4, 17)),
        ends_at=timezone.make_aware(timezone.datetime(2018, 5, 15)),
    )
    html = page(citizen_client, goal)
    assert "lief vom 17. April 2018 bis 14. Mai 2018" in html
    assert 'name="text"' not in html


def test_no_round_at_all_says_so(client, goal):
    assert "Zurzeit ist keine Beteiligungsrunde geöffnet." in page(client, goal)


def test_withdrawn_text_is_not_shown_but_a_placeholder_is(client, goal, open_round, citizen):
    make_comment(
        goal=goal,
        comment_round=open_round,
        author=citizen,
        text="Geheimer Inhalt",
        status=Comment.Status.WITHDRAWN,
    )
    html = page(client, goal)
    assert "Geheimer Inhalt" not in html
    assert "Dieser Beitrag wurde von der verfassenden Person zurückgezogen." in html


def test_hidden_contribution_shows_the_reason_not_the_text(client, goal, open_round, citizen):
    make_comment(
        goal=goal,
        comment_round=open_round,
        author=citizen,
        text="Beleidigender Inhalt",
        status=Comment.Status.HIDDEN,
        moderation_reason=Comment.ModerationReason.NETIQUETTE,
    )
    html = page(client, goal)
    assert "Beleidigender Inhalt" not in html
    assert "von der Moderation ausgeblendet: Verstoß gegen die Netiquette" in html


def test_xss_payload_in_a_contribution_is_inert_on_the_page(client, goal, open_round, citizen):
    make_comment(
        goal=goal,
        comment_round=open_round,
        author=citizen,
        text='<script>alert("x")</script> <img src=x onerror=alert(1)> https://example.org/a',
    )
    html = page(client, goal)
    assert '<script>alert("x")' not in html
    assert "&lt;script&gt;" in html
    assert not any(tag == "img" for tag, _ in parse(html).tags)
    assert '<a href="https://example.org/a" rel="nofollow ugc noopener">' in html


def test_replies_are_shown_under_their_contribution(
    client, goal, open_round, comment, other_citizen
):
    make_comment(
        goal=goal, comment_round=open_round, author=other_citizen, text="Gute Idee", parent=comment
    )
    html = page(client, goal)
    assert html.index("Mehr Radwege!") < html.index("Gute Idee")
    assert 'class="reply-list"' in html


def test_sorting_by_support(client, goal, open_round, citizen, other_citizen):
    old = make_comment(goal=goal, comment_round=open_round, author=citizen, text="Alt, beliebt")
    Comment.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=1))
    make_comment(goal=goal, comment_round=open_round, author=citizen, text="Neu, unbeachtet")
    Support.objects.create(comment=old, user=other_citizen)
    newest = page(client, goal)
    assert newest.index("Neu, unbeachtet") < newest.index("Alt, beliebt")
    supported = page(client, goal, "?sortierung=zustimmung")
    assert supported.index("Alt, beliebt") < supported.index("Neu, unbeachtet")
    assert "1 Zustimmung" in supported


def test_pagination_on_the_server(client, goal, open_round, citizen):
    Comment.objects.bulk_create(
        Comment(goal=goal, round=open_round, author=citizen, text=f"Beitrag Nr. {n}")
        for n in range(25)
    )
    first = page(client, goal)
    assert tallies(first) == [(25, 0)]
    assert "?seite=2&amp;sortierung=neu#beitraege" in first
    second = page(client, goal, "?seite=2")
    assert second.count('class="comment"') == 5
    assert page(client, goal, "?seite=kaputt").count('class="comment"') == 20


def query(href: str) -> dict[str, list[str]]:
    assert href.endswith("#beitraege")
    return parse_qs(urlsplit(href).query)


@pytest.fixture
def outcomes(goal, open_round, citizen) -> None:
    """25 adopted contributions (two pages) and one forwarded to the department."""
    Comment.objects.bulk_create(
        Comment(
            goal=goal,
            round=open_round,
            author=citizen,
            text=f"Übernommen Nr. {n}",
            outcome=Comment.Outcome.ADOPTED,
        )
        for n in range(25)
    )
    make_comment(
        goal=goal,
        comment_round=open_round,
        author=citizen,
        text="Weitergeleitet",
        outcome=Comment.Outcome.FORWARDED,
    )


def test_choosing_another_outcome_replaces_the_active_one(client, goal, outcomes):
    html = page(client, goal, "?ergebnis=uebernommen")
    href = links_in(html, "outcome-filter")["An Fachbereich weitergeleitet"]
    assert query(href)["ergebnis"] == ["weitergeleitet"]
    followed = page(client, goal, href.split("#")[0])
    assert "Weitergeleitet" in followed and "Übernommen Nr." not in followed


def test_outcome_links_keep_the_sort_and_start_again_on_page_one(client, goal, outcomes):
    html = page(client, goal, "?ergebnis=uebernommen&sortierung=zustimmung&seite=2")
    links = links_in(html, "outcome-filter")
    assert query(links["Geprüft – nicht übernommen"]) == {
        "ergebnis": ["nicht-uebernommen"],
        "sortierung": ["zustimmung"],
    }
    assert query(links["Alle Beiträge"]) == {"sortierung": ["zustimmung"]}


def test_sort_links_keep_the_outcome_and_start_again_on_page_one(client, goal, outcomes):
    html = page(client, goal, "?ergebnis=uebernommen&seite=2")
    links = links_in(html, "comment-sort")
    assert query(links["Meiste Zustimmung zuerst"]) == {
        "ergebnis": ["uebernommen"],
        "sortierung": ["zustimmung"],
    }
    assert query(links["Neueste zuerst"]) == {"ergebnis": ["uebernommen"], "sortierung": ["neu"]}


def test_page_links_keep_the_outcome_and_the_sort(client, goal, outcomes):
    html = page(client, goal, "?ergebnis=uebernommen&sortierung=zustimmung")
    links = links_in(html, "pagination")
    expected = {"ergebnis": ["uebernommen"], "sortierung": ["zustimmung"], "seite": ["2"]}
    assert query(links["2"]) == expected
    assert query(links["Weiter"]) == expected
    second = page(client, goal, links["Weiter"].split("#")[0])
    assert second.count('class="comment"') == 5
    assert query(links_in(second, "pagination")["Zurück"])["seite"] == ["1"]


def test_support_button_is_a_plain_form_for_other_citizens(
    other_citizen, goal, open_round, comment
):
    html = page(logged_in(other_citizen), goal)
    assert f'action="/beitraege/{comment.pk}/zustimmung/"' in html
    assert 'aria-pressed="false"' in html


def test_author_sees_edit_and_withdraw(citizen_client, goal, open_round, comment):
    html = page(citizen_client, goal)
    assert f"/beitraege/{comment.pk}/bearbeiten/" in html
    assert f"/beitraege/{comment.pk}/zurueckziehen/" in html


def build_contributions(goal, comment_round, author, supporter, count: int) -> None:
    comments = Comment.objects.bulk_create(
        Comment(goal=goal, round=comment_round, author=author, text=f"Beitrag {n}")
        for n in range(count)
    )
    Comment.objects.bulk_create(
        Comment(goal=goal, round=comment_round, author=supporter, text="Antwort", parent=parent)
        for parent in comments[: count // 2]
    )
    Support.objects.bulk_create(Support(comment=c, user=supporter) for c in comments)


def cold_and_warm_queries(client, url: str) -> tuple[int, int, str]:
    """Queries of a visit right after an editor's change (nothing kept by the worker, see
    hagen_isek/site_content.py, the page's scope versions set by a visit before) and of the next
    visit."""
    client.get(url)
    site_content.clear()
    with CaptureQueriesContext(connection) as cold:
        client.get(url)
    with CaptureQueriesContext(connection) as warm:
        response = client.get(url)
    assert response.status_code == 200
    return len(cold), len(warm), "\n".join(query["sql"] for query in warm.captured_queries)


@pytest.mark.parametrize("sort", ["neu", "zustimmung"])
def test_goal_page_queries_do_not_grow_with_contributions(
    goal, open_round, citizen, other_citizen, key_message, measure, sort
):
    client = logged_in(other_citizen)
    url = f"{goal.get_absolute_url()}?sortierung={sort}"
    build_contributions(goal, open_round, citizen, other_citizen, 10)
    small = cold_and_warm_queries(client, url)
    build_contributions(goal, open_round, citizen, other_citizen, 990)
    assert Comment.objects.top_level().count() == 1000
    large = cold_and_warm_queries(client, url)
    # Warm: session, user, goal, the site, goal and map versions (one read), does the reader
    # have contributions awaiting moderation (none: the list every reader sees, kept), which
    # listed ones they support, is their address verified. Cold: + the goal's content, rounds
    # and events, its figures, list, answers and map, the map's areas.
    assert small[:2] == large[:2] == (20, 7), large[2]
    response = client.get(url)
    assert response.content.decode().count('class="comment"') == 20


def test_anonymous_goal_page_queries_are_few(client, goal, open_round, citizen, other_citizen):
    build_contributions(goal, open_round, citizen, other_citizen, 1000)
    cold, warm, sql = cold_and_warm_queries(client, goal.get_absolute_url())
    # Warm: the goal, the versions (one read); the list and the map kept until a write.
    assert (cold, warm) == (14, 2), sql


def test_participation_page_shows_open_round_and_lists_rounds(
    client, goal, open_round, closed_round
):
    html = client.get("/beteiligung/").content.decode()
    assert "Die Beteiligungsrunde „Testrunde“ ist bis" in html
    assert "Laufende Beteiligungsrunden" in html
    assert "Abgeschlossene Beteiligungsrunden" in html and "Beendete Runde" in html
    assert "Mobilität neu denken!" in html


def test_participation_page_shows_next_round(client, db):
    now = timezone.now()
    make_round(
        title="Kommende Runde",
        starts_at=now + timedelta(days=3),
        ends_at=now + timedelta(days=30),
    )
    html = client.get("/beteiligung/").content.decode()
    assert "Die nächste Beteiligungsrunde „Kommende Runde“ läuft vom" in html


def test_participation_page_without_rounds(client, db):
    html = client.get("/beteiligung/").content.decode()
    assert "Zurzeit ist keine Beteiligungsrunde geöffnet." in html


def test_home_shows_the_open_round(client, open_round):
    assert "Die Beteiligungsrunde „Testrunde“ ist bis" in client.get("/").content.decode()


def test_demo_round_is_labelled(client, db):
    now = timezone.now()
    make_round(
        title="Demo-Beteiligungsrunde",
        starts_at=now,
        ends_at=now + timedelta(days=30),
        is_demo=True,
    )
    html = client.get("/beteiligung/").content.decode()
    assert "Demo-Beteiligungsrunde" in html and ">Demo</span>" in html


def test_data_download_lists_own_contributions_without_withdrawn_text(
    goal, open_round, citizen, other_citizen
):
    kept = make_comment(goal=goal, comment_round=open_round, author=citizen, text="Bleibt")
    make_comment(
        goal=goal,
        comment_round=open_round,
        author=citizen,
        text="Zurückgezogen",
        status=Comment.Status.WITHDRAWN,
        parent=kept,
    )
    make_comment(goal=goal, comment_round=open_round, author=other_citizen, text="Fremd")
    data = user_contributions(citizen)
    assert [row["text"] for row in data] == ["Bleibt", None]
    assert data[0]["goal"] == "Mobilität neu denken!"
    assert data[0]["round"] == "Testrunde"
    assert data[1]["status"] == "withdrawn" and data[1]["parent"] == kept.pk
    assert data[0]["created_at"] == kept.created_at.isoformat()


def test_comment_admin_cannot_delete_or_add(admin_client, comment):
    html = admin_client.get(f"/admin/participation/comment/{comment.pk}/change/").content.decode()
    assert "Mehr Radwege!" in html
    assert admin_client.get(f"/admin/participation/comment/{comment.pk}/delete/").status_code == 403
    # Adding means entering workshop input (issue 6).
    assert admin_client.get("/admin/participation/comment/add/").status_code == 200
    assert admin_client.get("/admin/participation/commentround/").status_code == 200


def test_round_admin_lists_rounds(admin_client, open_round):
    html = admin_client.get("/admin/participation/commentround/").content.decode()
    assert "Testrunde" in html


def test_participation_page_lists_only_the_goals_of_the_open_round(
    client, goal, other_goal, open_round
):
    open_round.goals.add(other_goal)
    html = client.get("/beteiligung/").content.decode()
    assert "Hagener Zentren" in html
    assert "Mobilität neu denken!" not in html


def test_draft_preview_shows_no_comment_form_but_says_when_writing_opens(
    goal, open_round, editor, citizen
):
    from goals.models import Goal

    Goal.objects.filter(pk=goal.pk).update(status=Goal.Status.DRAFT)
    html = logged_in(editor).get(f"/ziele/{goal.slug}/vorschau/").content.decode()
    assert "comment-create" not in html and 'class="comment-form"' not in html
    assert (
        "Vorschau: Beiträge können geschrieben werden, sobald das Ziel veröffentlicht ist." in html
    )
