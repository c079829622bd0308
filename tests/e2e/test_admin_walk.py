"""Every admin page an editor or a moderator can open, in a real browser at 1280 px: axe finds no
WCAG 2.1 AA violation, no English UI word shows (also none added by scripts), and every list
shows its first five columns without scrolling sideways.

The pages are those of tests/test_admin_german.py: the start page and, for every model the role
may see, the list, the add form and one object's change form, history, version and delete
confirmation."""

import pytest

from tests.e2e.conftest import axe_violations
from tests.e2e.test_staff_workspace import log_in
from tests.test_admin_german import admin_pages, english_words, staff_data  # noqa: F401

FIRST_COLUMNS = 5


def columns_cut_off(page) -> list[str]:
    """The first five column headings of a list that end right of the window."""
    return page.evaluate(
        """(count) => {
            const width = document.documentElement.clientWidth;
            return [...document.querySelectorAll('#result_list thead th')]
                .filter(th => !th.classList.contains('action-checkbox-column'))
                .slice(0, count)
                .filter(th => th.getBoundingClientRect().right > width)
                .map(th => th.textContent.trim());
        }""",
        FIRST_COLUMNS,
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ["editor", "moderator"])
def test_every_admin_page_of_a_role_is_accessible_german_and_fits(
    role,
    request,
    live_server,
    page,
    staff_data,  # noqa: F811 (the fixture imported above)
    settings,
):
    settings.STAFF_MFA_REQUIRED = False
    user = request.getfixturevalue(role)
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server.url, user.email)
    problems = {}
    urls = admin_pages(user)
    assert len(urls) > 20, urls
    for url in urls:
        response = page.goto(live_server.url + url)
        assert response.status == 200, url
        page.wait_for_load_state("load")
        found = axe_violations(page)
        found += [f"English: {words}" for words in english_words(page.content())]
        if page.locator("#result_list").count():
            found += [f"cut off at 1280 px: {column}" for column in columns_cut_off(page)]
        if found:
            problems[url] = found
    assert not problems, "\n".join(f"{url}:\n  " + "\n  ".join(p) for url, p in problems.items())
