"""Bad input to the admin gets a German 400, 404 or 405 page in the site layout, never a 500,
and one log line, not a traceback (hagen_isek/admin_guard.py)."""

import logging

import pytest

from events.models import Event
from goals.models import Goal

HUGE = "99999999999999999999999"


@pytest.fixture
def staff(admin_client):
    admin_client.raise_request_exception = False
    return admin_client


@pytest.fixture
def log(caplog):
    caplog.set_level(logging.WARNING)
    return caplog


def assert_page(response, status: int, heading: str) -> None:
    assert response.status_code == status
    html = response.content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert '<main id="main"' in html  # the site's error layout, not Django's bare text
    assert 'lang="de"' in html


def assert_one_line_logged(log) -> None:
    assert not [r for r in log.records if r.levelno >= logging.ERROR]  # no "Internal Server Error"
    [record] = [r for r in log.records if r.name == "hagen_isek.admin_guard"]
    assert record.exc_info is None and "\n" not in record.getMessage()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/events/event/abc/history/",
        "/admin/goals/goal/abc/history/",
        "/admin/participation/commentround/1.5/history/",
    ],
)
def test_history_of_an_impossible_object_id_is_not_found(staff, seeded, log, url):
    assert_page(staff.get(url), 404, "Seite nicht gefunden")
    assert_one_line_logged(log)


@pytest.mark.parametrize(
    "url",
    [
        "/admin/events/event/%00/history/",
        "/admin/events/event/%00/change/",
        "/admin/events/event/?q=%00",
        "/admin/participation/comment/?status=%00",
        "/admin/participation/comment/?q=a%00b",
        "/admin/events/event/?q=%ff%fe",  # not UTF-8
        "/admin/autocomplete/?app_label=events&model_name=event&field_name=district&term=%00",
    ],
)
def test_nul_bytes_and_bytes_that_are_no_text_are_a_bad_request(staff, seeded, log, url):
    assert_page(staff.get(url), 400, "Ungültige Anfrage")
    assert_one_line_logged(log)


def test_nul_byte_in_a_form_is_a_bad_request(staff, seeded, log):
    event = Event.objects.first()
    response = staff.post(f"/admin/events/event/{event.pk}/change/", {"title": "a\x00b"})
    assert_page(response, 400, "Ungültige Anfrage")
    assert Event.objects.get(pk=event.pk).title == event.title


@pytest.mark.parametrize(
    "query",
    [f"district={HUGE}", f"district__id__exact={HUGE}", f"id={HUGE}", "district=abc"],
)
def test_filters_with_impossible_values_never_fail(staff, seeded, query):
    response = staff.get(f"/admin/events/event/?{query}")
    # The list (with nothing or the ?e=1 notice) or the German 400 page, never a server error.
    assert response.status_code in (200, 302, 400), response.status_code
    if response.status_code == 400:
        assert_page(response, 400, "Ungültige Anfrage")


def test_key_message_add_page_ignores_a_goal_that_is_no_id(staff, seeded):
    response = staff.get("/admin/goals/keymessage/add/?goal=abc&position=3")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="position" value="3"' in html  # the usable prefill is kept


def test_key_message_add_page_still_takes_a_goal_prefill(staff, seeded):
    goal = Goal.objects.first()
    response = staff.get(f"/admin/goals/keymessage/add/?goal={goal.pk}")
    assert response.status_code == 200
    assert f'<option value="{goal.pk}" selected>' in response.content.decode()


@pytest.mark.parametrize("method", ["trace", "options", "put", "patch", "delete"])
def test_other_methods_than_get_head_post_are_not_allowed(staff, seeded, log, method):
    response = getattr(staff, method)("/admin/events/event/")
    assert_page(response, 405, "Methode nicht erlaubt")
    assert response["Allow"] == "GET, HEAD, POST"
    assert_one_line_logged(log)


def test_head_is_still_allowed(staff, seeded):
    assert staff.head("/admin/events/event/").status_code == 200


@pytest.mark.parametrize("selected", [["abc"], ["\x00"], [HUGE], ["1", "zwei"]])
def test_actions_on_impossible_ids_change_nothing(staff, seeded, log, selected):
    count = Event.objects.count()
    response = staff.post(
        "/admin/events/event/",
        {"action": "delete_selected", "_selected_action": selected, "post": "yes"},
    )
    assert response.status_code in (302, 400), response.status_code
    if response.status_code == 400:
        assert_page(response, 400, "Ungültige Anfrage")
    assert Event.objects.count() == count


def test_public_pages_are_not_guarded_by_the_admin_rules(client, seeded):
    # The guard is the admin's: public views keep their own answers to other methods.
    assert client.get("/termine/?q=%00").status_code == 200
