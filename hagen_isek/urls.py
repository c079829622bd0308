from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.flatpages import views as flatpage_views
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from hagen_isek import languages, views
from hagen_isek.sitemaps import SITEMAPS

# allauth's rate limits answer with the root URLconf's handler429.
handler429 = views.too_many_requests
handler500 = views.server_error

LEGAL_PAGES = ["impressum", "datenschutz", "barrierefreiheit", "netiquette", "kontakt"]

# Public pages exist in every language: German at the plain URLs, English under /en/.
urlpatterns = i18n_patterns(
    path("", views.home, name="home"),
    path("ueber-das-isek/", views.about, name="about"),
    path("quellen/", views.sources, name="sources"),
    path("leichte-sprache/", views.easy_language, name="easy-language"),
    path("gebaerdensprache/", views.sign_language, name="sign-language"),
    path("offene-daten/", include("opendata.urls")),
    path("druck/stand-<str:day>.css", views.print_stamp, name="print-stamp"),
    path("", include("goals.urls")),
    path("", include("events.urls")),
    path("", include("participation.urls")),
    path("", include("search.urls")),
    path("konto/", include("allauth.urls")),
    *[
        path(f"{slug}/", flatpage_views.flatpage, {"url": f"/{slug}/"}, name=f"legal-{slug}")
        for slug in LEGAL_PAGES
    ],
    prefix_default_language=False,
) + [
    path("healthz/", views.healthz, name="healthz"),
    path("readyz/", views.readyz, name="readyz"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("sprache/<str:code>/", languages.choose_language, name="choose-language"),
    path("karte/", include("basemap.urls")),
    # Staff log in through allauth so that two-factor login cannot be bypassed via the admin.
    path("admin/login/", views.admin_login, name="admin-login"),
    path("admin/", admin.site.urls),
]

if settings.SERVE_MEDIA:
    urlpatterns.append(
        path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", views.media_file, name="media")
    )
