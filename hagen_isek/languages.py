"""Which language a page is shown in, and the URLs of the same page in the other languages.

German is the default and lives at the plain URLs (/ziele/…); every other language has its own
prefix (/en/ziele/…), so a URL names exactly one language: links can be shared, pages cached and
found by search engines. A visitor's wish decides only where a plain URL leads: someone whose
browser prefers English (Accept-Language) or who chose English with the language switch (the
language cookie) is sent from /ziele/ to /en/ziele/. Choosing German sets the cookie to German,
so that visitor stays at the plain URLs whatever the browser says.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware
from django.urls import is_valid_path, reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

SAFE_METHODS = {"GET", "HEAD"}


ADMIN_PREFIX = "/admin/"


def language_codes() -> list[str]:
    return [code for code, _ in settings.LANGUAGES]


def page_language(request: HttpRequest) -> str:
    """The language of the answer to this request: the URL's prefix, else the visitor's wish
    (language cookie, then Accept-Language), else German. For a plain URL and a wish other than
    German that answer is the redirect to the prefixed URL (see LanguageMiddleware)."""
    return translation.get_language_from_request(request, check_path=True)


def _split_prefix(path: str) -> tuple[str | None, str]:
    """("en", "/ziele/") for "/en/ziele/"; (None, path) for a plain German path."""
    code = translation.get_language_from_path(path)
    if code and code != settings.LANGUAGE_CODE:
        return code, path[len(code) + 1 :] or "/"
    return None, path


def path_in_language(path: str, code: str) -> str | None:
    """The same page in another language, or None where the page has no such version (the
    admin, the health check, a URL that does not exist)."""
    _, plain = _split_prefix(path)
    target = plain if code == settings.LANGUAGE_CODE else f"/{code}{plain}"
    with translation.override(code):
        return target if is_valid_path(target) else None


class LanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware (language from the URL prefix), plus the one redirect that
    honours the visitor's wish on plain URLs."""

    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        if request.path_info.startswith(ADMIN_PREFIX):
            # The staff workspace exists in German only, whatever the browser asks for (else
            # its scripts would say "Choose all Ziele" to a planner with an English browser).
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE
            return None
        super().process_request(request)
        if request.method not in SAFE_METHODS or _split_prefix(request.path_info)[0]:
            return None
        wish = translation.get_language_from_request(request, check_path=False)
        if wish == settings.LANGUAGE_CODE:
            return None
        target = path_in_language(request.path_info, wish)
        if target is None:
            return None
        query = request.META.get("QUERY_STRING", "")
        script = request.META.get("SCRIPT_NAME", "")
        response = HttpResponseRedirect(script + target + (f"?{query}" if query else ""))
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        response = super().process_response(request, response)
        if not _split_prefix(request.path_info)[0]:
            # A plain URL answers differently for a visitor who wished for another language.
            patch_vary_headers(response, ("Cookie",))
        return response


def choose_language(request: HttpRequest, code: str) -> HttpResponse:
    """The language switch: a plain link (no JavaScript, no form, so every page stays cacheable)
    that remembers the choice in the language cookie and leads to the same page in that
    language. Only a path on this site is followed; anything else leads to the home page."""
    if code not in language_codes():
        code = settings.LANGUAGE_CODE
    wanted = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(wanted, allowed_hosts=None) or not wanted.startswith(
        "/"
    ):
        wanted = "/"
    path, _, query = wanted.partition("?")
    target = path_in_language(path, code) or path_in_language("/", code)
    response = HttpResponseRedirect(target + (f"?{query}" if query else ""))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def language_links(request: HttpRequest) -> list[dict]:
    """Each language with the switch link and the plain URL of this page in it (for the
    header's switch and the <link rel="alternate" hreflang> in the head)."""
    current = translation.get_language()
    full_path = request.get_full_path()
    links = []
    for code in language_codes():
        info = translation.get_language_info(code)
        links.append(
            {
                "code": code,
                "name": info["name_local"],
                "is_current": code == current,
                "switch_url": reverse("choose-language", kwargs={"code": code})
                + "?"
                + urlencode({"next": full_path}),
                "page_url": path_in_language(request.path_info, code),
            }
        )
    return links
