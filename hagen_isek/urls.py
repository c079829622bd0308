from django.conf import settings
from django.contrib import admin
from django.contrib.flatpages import views as flatpage_views
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from hagen_isek import views
from hagen_isek.sitemaps import SITEMAPS

admin.site.site_header = "HAGENplant 2035 – Redaktion"
admin.site.site_title = "HAGENplant 2035"
admin.site.index_title = "Verwaltung des Beteiligungsportals"

LEGAL_PAGES = ["impressum", "datenschutz", "barrierefreiheit", "netiquette", "kontakt"]

urlpatterns = [
    path("", views.home, name="home"),
    path("ueber-das-isek/", views.about, name="about"),
    path("healthz/", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("offene-daten/", include("opendata.urls")),
    path("", include("goals.urls")),
    path("", include("events.urls")),
    path("", include("participation.urls")),
    # Staff log in through allauth so that two-factor login cannot be bypassed via the admin.
    path(
        "admin/login/",
        views.admin_login,
        name="admin-login",
    ),
    path("admin/", admin.site.urls),
    path("konto/", include("allauth.urls")),
    *[
        path(f"{slug}/", flatpage_views.flatpage, {"url": f"/{slug}/"}, name=f"legal-{slug}")
        for slug in LEGAL_PAGES
    ],
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
