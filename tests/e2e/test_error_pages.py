"""The refusal pages (400, 405, 429, 503) in a real browser at desktop and phone width: German,
in the site layout, nothing wider than the screen, nothing axe objects to.

With ERROR_PAGE_SCREENSHOTS=1 each page is also saved to var/test-artifacts/error-pages/ to be
looked at.
"""

import os

import pytest

from hagen_isek.outage import maintenance_response

from .conftest import ARTIFACTS, axe_violations, has_horizontal_scroll

WIDTHS = {"desktop": 1280, "phone": 375}
HEADINGS = {
    "400": "Ungültige Anfrage",
    "405": "Methode nicht erlaubt",
    "429": "Zu viele Anfragen",
    "503": "Vorübergehend nicht erreichbar",
}


def show(page, base_url: str, kind: str, settings) -> int:
    """Opens the page of `kind` as a visitor meets it; returns its status."""
    if kind == "400":
        return page.goto(base_url + "/admin/events/event/?q=%00").status
    if kind == "405":
        # A browser cannot navigate with OPTIONS: the server's real answer is shown instead.
        url = base_url + "/admin/events/event/"
        page.route(
            url, lambda route: route.fulfill(response=page.request.fetch(url, method="OPTIONS"))
        )
        return page.goto(url).status
    if kind == "429":
        settings.ACCOUNT_RATE_LIMITS = {"reset_password": "1/h/ip"}
        for _ in range(2):
            page.goto(base_url + "/konto/password/reset/")
            page.locator("#id_email").fill("alice@example.org")
            with page.expect_navigation() as navigation:
                page.locator("main").get_by_role("button").last.click()
        return navigation.value.status
    # 503: the maintenance page as the outage middleware renders it (no database, no request).
    answer = maintenance_response()
    page.route(
        base_url + "/wartung/",
        lambda route: route.fulfill(status=503, body=answer.content, content_type="text/html"),
    )
    return page.goto(base_url + "/wartung/").status


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("kind", list(HEADINGS))
def test_refusal_pages_are_german_readable_and_accessible(live_server, page, settings, kind, width):
    page.set_viewport_size({"width": WIDTHS[width], "height": 800})
    assert show(page, live_server.url, kind, settings) == int(kind)
    assert page.locator("h1").inner_text() == HEADINGS[kind]
    assert page.locator("header").count() and page.locator("footer").count()
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.title().endswith("– HAGENplant 2035")
    assert not has_horizontal_scroll(page)
    assert axe_violations(page) == []
    if os.environ.get("ERROR_PAGE_SCREENSHOTS"):
        folder = ARTIFACTS / "error-pages"
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"{kind}-{WIDTHS[width]}.png"), full_page=True)
