"""The admin's forms in a real browser: the slug filled in while a title is typed keeps German
words readable (the same rule as hagen_isek/slugs.py on the server)."""

import pytest

from tests.conftest import make_user
from tests.e2e.test_staff_workspace import log_in


@pytest.mark.django_db(transaction=True)
def test_the_slug_typed_from_a_title_keeps_german_transliteration(live_server, page, settings):
    settings.STAFF_MFA_REQUIRED = False
    editor = make_user("redaktion@example.org", "Redaktion", staff=True, groups=("Redaktion",))
    log_in(page, live_server.url, editor.email)
    page.goto(live_server.url + "/admin/events/event/add/")
    page.locator("#id_title").press_sequentially("Grünflächen an der Straße – Öffnung")
    assert page.locator("#id_slug").input_value() == "gruenflaechen-an-der-strasse-oeffnung"
