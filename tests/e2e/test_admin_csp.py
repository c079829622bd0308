"""The Django admin works under the portal's strict CSP (no 'unsafe-inline'): no violations."""

import pytest

from tests.conftest import PASSWORD

ADMIN_PAGES = [
    "/admin/",
    "/admin/auth/group/",
    "/admin/auth/group/add/",
    "/admin/sites/site/1/change/",
    "/admin/flatpages/flatpage/add/",
]


@pytest.mark.django_db(transaction=True)
def test_admin_pages_raise_no_csp_violation(live_server, page, editor, settings):
    settings.STAFF_MFA_REQUIRED = False
    editor.is_superuser = True
    editor.save()
    problems = []
    # Chromium reports every blocked inline script/style as a console error naming the CSP.
    # (The browser's own /favicon.ico request 404s in the admin; that is no CSP matter.)
    page.on(
        "console",
        lambda message: (
            problems.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))
    page.goto(live_server.url + "/admin/")
    page.locator("#id_login").fill(editor.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Anmelden").click()
    page.wait_for_url(live_server.url + "/admin/")
    for url in ADMIN_PAGES:
        response = page.goto(live_server.url + url)
        assert response.status == 200, url
        assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    # The admin's JavaScript really runs: the "add another" pop-up links and date widgets are built
    # by scripts; the filter field of the permission selector appears only through SelectFilter2.js.
    page.goto(live_server.url + "/admin/auth/group/add/")
    assert page.locator("#id_permissions_input").count() == 1
    assert problems == []
