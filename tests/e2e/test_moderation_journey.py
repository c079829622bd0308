"""Issue 7, journey 3: a moderator works a reported contribution through the real admin."""

from datetime import timedelta

import pytest
from django.utils import timezone

from goals.models import Goal
from participation import services
from participation.models import Comment, CommentRound, Report
from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import axe_violations

PLACEHOLDER = "Dieser Beitrag wurde von der Moderation ausgeblendet: Verstoß gegen die Netiquette"


@pytest.fixture
def discussion(db):
    goal = Goal.objects.create(
        slug="mobilitaet-neu-denken", title="Mobilität neu denken!", number=10, status="published"
    )
    now = timezone.now()
    comment_round = CommentRound.objects.create(
        title="Testrunde",
        slug="offen",
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=10),
        is_published=True,
    )
    author = make_user("alice@example.org", "Alice")
    comment = Comment.objects.create(
        goal=goal, round=comment_round, author=author, text="Ihr seid alle unfähig!"
    )
    for n in range(2):
        reporter = make_user(f"melder{n}@example.org", f"Melder {n}")
        services.comment_report(comment=comment, reporter=reporter, reason=Report.Reason.INSULT)
    return comment


def log_in(page, base_url: str, email: str) -> None:
    page.goto(base_url + "/konto/login/")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Anmelden").click()
    page.wait_for_url(base_url + "/")


@pytest.mark.django_db(transaction=True)
def test_moderator_hides_reported_contribution_and_restores_it(
    live_server, page, discussion, settings
):
    settings.STAFF_MFA_REQUIRED = False
    moderator = make_user(
        "moderation@example.org", "Moderation", staff=True, groups=("Moderation",)
    )
    base = live_server.url
    goal_url = base + discussion.goal.get_absolute_url()
    log_in(page, base, moderator.email)

    page.goto(base + "/admin/participation/comment/?queue=1")
    row = page.locator("#result_list tbody tr", has_text="Ihr seid alle unfähig!")
    assert "2: Beleidigung (2)" in row.inner_text()
    row.get_by_role("link", name=str(discussion.pk)).click()

    page.get_by_role("link", name="Ausblenden").click()
    page.get_by_label("Grund (öffentlich sichtbar)").select_option(
        label="Verstoß gegen die Netiquette"
    )
    page.get_by_label("Notiz (intern)").fill("Beleidigt andere Teilnehmende.")
    page.get_by_role("button", name="Ausblenden", exact=True).click()
    page.get_by_text("1 Beitrag wurde ausgeblendet.").wait_for()
    assert "Beleidigt andere Teilnehmende." in page.locator("#content").inner_text()

    page.goto(goal_url)
    article = page.locator(f"#beitrag-{discussion.pk}")
    assert PLACEHOLDER in article.inner_text()
    assert "unfähig" not in article.inner_text()

    page.goto(base + f"/admin/participation/comment/{discussion.pk}/change/")
    page.get_by_role("link", name="Wiederherstellen").click()
    page.get_by_role("button", name="Wiederherstellen", exact=True).click()
    page.get_by_text("1 Beitrag wurde wiederhergestellt.").wait_for()

    page.goto(goal_url)
    assert "Ihr seid alle unfähig!" in page.locator(f"#beitrag-{discussion.pk}").inner_text()
    discussion.refresh_from_db()
    assert discussion.is_published
    assert list(discussion.moderation_log.order_by("pk").values_list("action", flat=True)) == [
        "hide",
        "restore",
    ]


@pytest.mark.django_db(transaction=True)
def test_axe_on_statistics_and_goal_page_with_hidden_contribution_and_answer(
    live_server, page, discussion
):
    staff = make_user("redaktion@example.org", "Redaktion", staff=True)
    services.comment_hide(comment=discussion, moderator=staff, reason="netiquette", note="x")
    answered = Comment.objects.create(
        goal=discussion.goal, round=discussion.round, author=discussion.author, text="Mehr Radwege!"
    )
    services.answer_create(comment=answered, author=staff, text="Wir prüfen neue Radwege.")
    problems = {}
    for url in ["/beteiligung/statistik/", discussion.goal.get_absolute_url()]:
        page.goto(live_server.url + url)
        if violations := axe_violations(page):
            problems[url] = violations
    page.goto(live_server.url + discussion.goal.get_absolute_url())
    assert PLACEHOLDER in page.locator("main").inner_text()
    assert "Antwort der Stadt Hagen" in page.locator("main").inner_text()
    assert problems == {}
