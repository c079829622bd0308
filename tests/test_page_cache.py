"""The anonymous full-page cache: served only to anonymous visitors, never stale after a change."""

from datetime import timedelta

import pytest
from django.contrib import messages
from django.contrib.auth.models import update_last_login
from django.contrib.flatpages.models import FlatPage
from django.core.cache import caches
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template import engines
from django.test import Client, override_settings
from django.urls import path
from django.utils import timezone

from events.models import District
from goals.models import Goal
from hagen_isek import urls as project_urls
from hagen_isek.page_cache import (
    HEADER,
    LocalPages,
    content_models,
    version_key,
)
from hagen_isek.page_scopes import SITE
from participation.models import Comment, Follow
from tests.participation.conftest import make_round


def form_page(request: HttpRequest) -> HttpResponse:
    template = engines["django"].from_string(
        '<!doctype html><form method="post">{% csrf_token %}<button>Senden</button></form>'
    )
    return HttpResponse(template.render({}, request))


def leave_message(request: HttpRequest) -> HttpResponse:
    messages.info(request, "Nachricht nur für diesen Besuch")
    return redirect("home")


urlpatterns = [
    path("formular/", form_page),
    path("nachricht/", leave_message),
    *project_urls.urlpatterns,
]

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True


def test_healthz_answers_ok_without_database_or_cookies(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert not response.cookies
    assert HEADER not in response


def test_second_anonymous_request_is_served_from_cache_unchanged(client, seeded):
    first = client.get("/ziele/")
    second = Client().get("/ziele/")
    assert first[HEADER] == "miss"
    assert second[HEADER] == "hit"
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_query_string_is_part_of_the_page_key(client, seeded):
    client.get("/ziele/")
    assert client.get("/ziele/?seite=2")[HEADER] == "miss"


def test_signed_in_user_is_never_served_a_cached_page(client, citizen_client, seeded):
    client.get("/")
    assert client.get("/")[HEADER] == "hit"
    response = citizen_client.get("/")
    assert response.get(HEADER) != "hit"
    assert "Abmelden" in response.content.decode()


def test_page_of_signed_in_user_is_never_stored_for_others(client, citizen_client, seeded):
    assert "Abmelden" in citizen_client.get("/").content.decode()
    response = client.get("/")
    assert response[HEADER] == "miss"
    assert "Abmelden" not in response.content.decode()
    assert "Anmelden" in response.content.decode()


def test_changed_flatpage_is_shown_at_once(client, seeded):
    client.get("/impressum/")
    assert client.get("/impressum/")[HEADER] == "hit"
    page = FlatPage.objects.get(url="/impressum/")
    page.content = "<p>Neue Anschrift der Redaktion</p>"
    page.save()
    response = client.get("/impressum/")
    assert response[HEADER] == "miss"
    assert "Neue Anschrift der Redaktion" in response.content.decode()


def test_renamed_district_is_shown_at_once(client, seeded):
    district = District.objects.create(name="Testbezirk", slug="testbezirk")
    url = district.get_absolute_url()
    client.get(url)
    assert client.get(url)[HEADER] == "hit"
    district.name = "Umbenannter Bezirk"
    district.save()
    response = client.get(url)
    assert response[HEADER] == "miss"
    assert "Umbenannter Bezirk" in response.content.decode()


def test_unpublished_goal_disappears_from_cached_overview(client, seeded):
    goal = Goal.objects.create(
        title="Testziel Stadtgrün", slug="testziel", status=Goal.Status.PUBLISHED
    )
    assert "Testziel Stadtgrün" in client.get("/ziele/").content.decode()
    assert client.get("/ziele/")[HEADER] == "hit"
    goal.status = Goal.Status.DRAFT
    goal.save()
    response = client.get("/ziele/")
    assert response[HEADER] == "miss"
    assert "Testziel Stadtgrün" not in response.content.decode()


def test_deleted_object_invalidates_cached_pages(client, seeded):
    client.get("/")
    assert client.get("/")[HEADER] == "hit"
    FlatPage.objects.get(url="/kontakt/").delete()
    assert client.get("/")[HEADER] == "miss"


def test_every_model_of_the_content_apps_invalidates_the_cache():
    models = content_models()
    labels = {model._meta.label for model in models}
    assert {"flatpages.FlatPage", "events.District", "goals.Goal", "goals.Measure"} <= labels
    assert "participation.User" in labels
    assert not [label for label in labels if ".Historical" in label]
    assert not labels & {"participation.Follow", "participation.FollowNotice"}
    for model in models:
        for signal in (post_save, post_delete, m2m_changed):
            assert signal.has_listeners(model), model


def test_login_does_not_invalidate_cached_pages(client, citizen, seeded):
    client.get("/")
    pages = caches["pages"]
    version = pages.get(version_key(SITE))
    update_last_login(None, citizen)
    assert pages.get(version_key(SITE)) == version
    assert client.get("/")[HEADER] == "hit"


def test_post_is_never_served_from_or_stored_in_cache(client, seeded):
    client.get("/")
    response = client.post("/")
    assert HEADER not in response
    # A successful POST may have changed what public pages show.
    assert client.get("/")[HEADER] == "miss"


@override_settings(ROOT_URLCONF=__name__)
def test_page_with_csrf_form_is_not_stored(client, seeded):
    assert client.get("/formular/")[HEADER] == "miss"
    assert Client().get("/formular/")[HEADER] == "miss"


@override_settings(ROOT_URLCONF=__name__)
def test_messages_are_never_cached_or_shown_to_others(client, seeded):
    client.get("/")
    visitor = Client()
    response = visitor.get("/nachricht/", follow=True)
    assert "Nachricht nur für diesen Besuch" in response.content.decode()
    assert response.get(HEADER) != "hit"
    other = Client().get("/")
    assert other[HEADER] == "hit"
    assert "Nachricht nur für diesen Besuch" not in other.content.decode()


def test_page_cache_can_be_switched_off(client, seeded, settings):
    settings.PAGE_CACHE_ENABLED = False
    client.get("/")
    response = client.get("/")
    assert HEADER not in response
    assert response.status_code == 200


def test_changes_in_one_transaction_replace_the_version_once_more_after_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks:
        District.objects.create(name="Bezirk A", slug="bezirk-a")
        District.objects.create(name="Bezirk B", slug="bezirk-b")
    assert len(callbacks) == 1
    assert callbacks[0].scopes == {SITE}


def test_worker_memory_never_serves_a_page_of_another_version():
    pages = LocalPages(size=2)
    first = {"site": "v1", "goal:a": "v1"}
    pages.put("a", (first, b"alt", []))
    assert pages.get("a", first) == (first, b"alt", [])
    assert pages.get("a", {**first, "goal:a": "v2"}) is None  # the goal changed: render again
    assert pages.get("a", {**first, "goal:a": None}) is None  # version unknown: never a hit
    pages.put("b", (first, b"", []))
    pages.put("c", (first, b"", []))
    assert pages.get("a", first) is None  # least recently used out first


def test_following_and_unfollowing_leaves_cached_pages_fresh(client, citizen_client, seeded):
    goal = Goal.objects.published().first()
    url = goal.get_absolute_url()
    client.get(url)
    assert Client().get(url)[HEADER] == "hit"
    follow_url = f"/konto/folgen/ziele/{goal.slug}/"
    assert citizen_client.post(follow_url, {"action": "follow"}).status_code == 302
    assert Follow.objects.filter(goal=goal).exists()
    assert Client().get(url)[HEADER] == "hit"
    citizen_client.post(follow_url, {"action": "unfollow"})
    assert not Follow.objects.filter(goal=goal).exists()
    assert Client().get(url)[HEADER] == "hit"


def test_saving_follow_settings_leaves_cached_pages_fresh(client, citizen_client, citizen, seeded):
    client.get("/")
    response = citizen_client.post(
        "/konto/folgen/", {"notify_follow_answers": "on", "follow_digest": "True"}
    )
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.follow_digest and not citizen.notify_follow_events
    assert Client().get("/")[HEADER] == "hit"


def test_a_new_published_contribution_is_shown_on_the_cached_goal_page_at_once(
    client, citizen_client, seeded
):
    now = timezone.now()
    make_round(slug="offen", starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=9))
    goal = Goal.objects.published().first()
    url = goal.get_absolute_url()
    client.get(url)
    assert Client().get(url)[HEADER] == "hit"
    text = "Der Bahnhofsvorplatz braucht mehr Bänke und Schatten."
    response = citizen_client.post(f"/ziele/{goal.slug}/beitraege/neu/", {"text": text})
    assert response.status_code == 302
    assert Comment.objects.get(text=text).status == Comment.Status.PUBLISHED
    response = Client().get(url)
    assert response[HEADER] == "miss"
    assert text in response.content.decode()
