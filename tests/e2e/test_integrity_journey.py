"""Issue 12 in a real browser: the record a council can trust.

A citizen writes in a pre-moderated round, a moderator approves it in the admin, the citizen
edits it (the edit window is stated, the approved text stays public while the edit waits),
withdraws another contribution (the exports no longer hold its text); the citizen's district
is never shown; the admin refuses a second round that overlaps for the same goal.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import District
from goals.models import Goal
from participation.models import Comment, CommentRound
from tests.conftest import make_user
from tests.e2e.conftest import axe_violations, log_in

APPROVED = "Mehr Bänke am Hagener Markt, bitte."
INSULT = "Ihr im Rathaus seid alle Idioten."
WITHDRAWN = "Eine Seilbahn über die Volme wäre schön."


@pytest.fixture
def goal(db) -> Goal:
    return Goal.objects.create(
        slug="hagener-zentren", title="Hagener Zentren", claim="kurze Wege", status="published"
    )


@pytest.fixture
def pre_moderated_round(goal) -> CommentRound:
    now = timezone.now()
    comment_round = CommentRound.objects.create(
        title="Vormoderierte Runde",
        slug="vormoderiert",
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=10),
        is_published=True,
        moderation=CommentRound.Moderation.PRE,
    )
    comment_round.goals.add(goal)
    return comment_round


def write(page, text: str) -> None:
    page.get_by_label("Ihr Beitrag").fill(text)
    page.get_by_role("button", name="Beitrag absenden").click()
    page.get_by_text("Vielen Dank! Ihr Beitrag ist eingegangen.").first.wait_for()


@pytest.mark.django_db(transaction=True)
def test_pre_moderation_edit_window_withdraw_and_district_privacy(
    live_server, page, browser, goal, pre_moderated_round, settings
):
    settings.STAFF_MFA_REQUIRED = False
    haspe = District.objects.create(name="Haspe", slug="haspe", position=3)
    citizen = make_user("kiez@example.org", "Kiezkenner")
    citizen.district = haspe
    citizen.save()
    moderator = make_user(
        "moderation@example.org", "Moderation", staff=True, groups=("Moderation",)
    )
    editor = make_user("redaktion@example.org", "Redaktion", staff=True, groups=("Redaktion",))
    base = live_server.url
    goal_url = base + goal.get_absolute_url()
    public = browser.new_context(locale="de-DE").new_page()
    staff = browser.new_context(locale="de-DE").new_page()

    # The citizen writes two contributions; both wait for the moderation.
    log_in(page, base, citizen.email)
    page.goto(goal_url)
    write(page, APPROVED)
    write(page, WITHDRAWN)
    first = Comment.objects.get(text=APPROVED)
    second = Comment.objects.get(text=WITHDRAWN)
    assert (
        "wartet auf Freigabe – nur für Sie sichtbar"
        in page.locator(f"#beitrag-{first.pk}").inner_text()
    )
    public.goto(goal_url)
    assert APPROVED not in public.locator("main").inner_text()

    # The moderator approves both in the admin.
    log_in(staff, base, moderator.email)
    for comment in (first, second):
        staff.goto(base + f"/admin/participation/comment/{comment.pk}/change/")
        staff.get_by_role("link", name="Freigeben").click()
        staff.get_by_role("button", name="Freigeben", exact=True).click()
        staff.locator(".messagelist .success").wait_for()
    public.goto(goal_url)
    assert APPROVED in public.locator(f"#beitrag-{first.pk}").inner_text()

    # The edit window is stated next to the link and on the form.
    page.goto(goal_url)
    article = page.locator(f"#beitrag-{first.pk}")
    assert re.search(r"\(bis \d\d:\d\d Uhr möglich\)", article.inner_text())
    article.get_by_role("link", name="Bearbeiten").click()
    stated = page.get_by_text(re.compile(r"Sie können Ihren Beitrag bis \d\d:\d\d Uhr bearbeiten"))
    stated.wait_for()
    deadline = timezone.localtime(first.created_at + Comment.EDIT_WINDOW).strftime("%H:%M")
    assert f"bis {deadline} Uhr" in stated.inner_text()
    assert "bis dahin bleibt Ihr freigegebener Text sichtbar" in stated.inner_text()
    page.get_by_label("Ihr Beitrag").fill(INSULT)
    page.get_by_role("button", name="Absenden").click()
    page.get_by_text("Ihr Beitrag wurde geändert.").wait_for()
    assert "Ihre Änderung wartet auf Freigabe" in page.locator(f"#beitrag-{first.pk}").inner_text()

    # The edit went back to review; the public still reads the approved text.
    public.goto(goal_url)
    shown = public.locator(f"#beitrag-{first.pk}").inner_text()
    assert APPROVED in shown and "Idioten" not in shown
    staff.goto(base + "/admin/participation/comment/?queue=1")
    assert staff.locator("#result_list tbody tr", has_text=str(first.pk)).count() >= 1

    # Withdrawing: the text leaves the page, the open data and the staff export.
    page.goto(goal_url)
    page.locator(f"#beitrag-{second.pk}").get_by_role("link", name="Zurückziehen").click()
    page.get_by_role("button", name="Beitrag zurückziehen").click()
    page.get_by_text("Ihr Beitrag wurde zurückgezogen.").wait_for()
    public.goto(goal_url)
    assert WITHDRAWN not in public.locator("main").inner_text()
    assert "zurückgezogen" in public.locator(f"#beitrag-{second.pk}").inner_text()
    open_data = public.context.request.get(base + "/offene-daten/beitraege.csv").text()
    assert APPROVED in open_data and WITHDRAWN not in open_data
    staff.context.clear_cookies()
    log_in(staff, base, editor.email)
    export = staff.context.request.get(base + "/admin/participation/comment/export/csv/")
    assert export.ok
    assert APPROVED in export.text() and WITHDRAWN not in export.text()

    # The district is never public: not at the contribution, not on the district's page.
    assert "Haspe" not in public.locator(f"#beitrag-{first.pk}").inner_text()
    public.goto(base + "/bezirke/haspe/")
    district_page = public.locator("main").inner_text()
    assert "Kiezkenner" not in district_page and APPROVED not in district_page
    assert "Haspe" not in open_data
    assert axe_violations(public) == []


@pytest.mark.django_db(transaction=True)
def test_admin_refuses_a_second_round_that_overlaps_for_the_same_goal(
    live_server, page, goal, pre_moderated_round, settings
):
    settings.STAFF_MFA_REQUIRED = False
    editor = make_user("redaktion@example.org", "Redaktion", staff=True, groups=("Redaktion",))
    log_in(page, live_server.url, editor.email)
    page.goto(live_server.url + "/admin/participation/commentround/add/")
    now = timezone.localtime()
    page.locator("#id_title").fill("Zweite Runde")
    page.locator("#id_starts_at_0").fill(now.strftime("%d.%m.%Y"))
    page.locator("#id_starts_at_1").fill("00:00:00")
    page.locator("#id_ends_at_0").fill((now + timedelta(days=5)).strftime("%d.%m.%Y"))
    page.locator("#id_ends_at_1").fill("00:00:00")
    page.locator("#id_goals_from").select_option(label="Hagener Zentren – kurze Wege")
    page.locator("#id_goals_add").click()
    page.locator("#id_is_published").check()
    page.locator("input[name=_save]").click()
    error = page.locator(".errornote, .errorlist").filter(has_text="Vormoderierte Runde")
    error.first.wait_for()
    assert "bereits in der Runde „Vormoderierte Runde“" in error.first.inner_text()
    assert CommentRound.objects.count() == 1
    # What the editor typed is kept.
    assert page.locator("#id_title").input_value() == "Zweite Runde"
