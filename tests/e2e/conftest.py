"""Real-browser tests: pytest-playwright drives Debian's Chromium against the live_server.

Never let Playwright download a browser: the launch always uses /usr/bin/chromium. Without it,
every test in this folder is skipped with the reason below (CI sets E2E_REQUIRED=1 to
fail instead). A failing test leaves a full-page
screenshot in var/test-artifacts/ (kept by CI as an artefact).
"""

import os
import re
import time
from datetime import timedelta
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from participation.models import CommentRound
from tests.conftest import PASSWORD

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artifacts"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
E2E_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    if not CHROMIUM.exists() and os.environ.get("E2E_REQUIRED") == "1":
        # CI sets this: there a missing browser must fail the run, not skip the journeys.
        raise pytest.UsageError(f"E2E_REQUIRED=1 but {CHROMIUM} is missing.")
    skip = pytest.mark.skip(
        reason="Debian's Chromium (/usr/bin/chromium) is missing; install the chromium package "
        "(make test does it as root) to run the browser tests."
    )
    for item in items:
        if E2E_DIR in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)
            if not CHROMIUM.exists():
                item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(autouse=True)
def screenshot_on_failure(request):
    # Requesting the page here makes this teardown run while the page is still open.
    page = request.getfixturevalue("page") if "page" in request.fixturenames else None
    if page is not None:
        page.set_default_timeout(10_000)  # fail fast; a local page answers within milliseconds
    yield
    report = getattr(request.node, "report_call", None)
    if page is None or report is None or not report.failed:
        return
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)[-150:]
    try:
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    except Exception as error:  # a broken page must not hide the real failure
        print(f"Screenshot failed: {error}")


def axe_violations(page) -> list[str]:
    """WCAG 2.1 A/AA violations on the current page, one readable line each."""
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(node["target"][0] for node in v["nodes"][:5])
        for v in result.response["violations"]
    ]


def clipped_captions(page) -> list[str]:
    """Table captions wider than the viewport: inside a sideways-scrolling table they would be
    cut off although the page itself does not scroll."""
    return page.evaluate(
        """() => [...document.querySelectorAll('caption')]
            .filter(c => c.getBoundingClientRect().width > document.documentElement.clientWidth)
            .map(c => c.textContent.trim().slice(0, 60))"""
    )


def has_horizontal_scroll(page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


@pytest.fixture(autouse=True)
def totp_tolerance(settings):
    # Accept the neighbouring 30-second period, so a journey crossing a boundary cannot flake.
    settings.MFA_TOTP_TOLERANCE = 1


@pytest.fixture
def open_round(db) -> CommentRound:
    """A round open for every published goal (a round without goals applies to all)."""
    now = timezone.now()
    return CommentRound.objects.create(
        title="Offene Testrunde",
        slug="offene-testrunde",
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=10),
        is_published=True,
    )


def log_in(page, base_url: str, email: str, password: str = PASSWORD) -> None:
    page.goto(base_url + "/konto/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("main").get_by_role("button", name="Anmelden").click()


def log_in_staff(page, base_url: str, user, password: str = PASSWORD) -> None:
    """Password, then the code of the authenticator app, as a member of staff types them."""
    secret = generate_totp_secret()
    Authenticator.objects.filter(user=user).delete()
    TOTP.activate(user, secret)
    log_in(page, base_url, user.email, password)
    page.wait_for_url("**/konto/2fa/authenticate/")
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    page.locator("#id_code").fill(code)
    page.locator("main").get_by_role("button", name="Anmelden").click()
    page.wait_for_url(lambda url: "/2fa/authenticate/" not in url)


def focus_indicator(page) -> dict:
    """What makes the focused element visible: its computed outline and box shadow."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const s = getComputedStyle(el);
            return {tag: el.tagName, id: el.id, name: el.getAttribute('name'),
                    text: (el.textContent || '').trim().slice(0, 40),
                    outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
                    shadow: s.boxShadow !== 'none'};
        }"""
    )


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A German citizen's browser: the portal honours Accept-Language (English readers are led
    # to /en/…), so the journeys, written in German, run with a German browser.
    return {**browser_context_args, "locale": "de-DE"}
