from django.urls import path

from events import views

app_name = "events"
urlpatterns = [
    path("termine/", views.event_list, name="list"),
    path("termine/ablauf/", views.timeline, name="timeline"),
    path("termine/feed.ics", views.event_feed, name="feed"),
    path("termine/<slug:slug>.ics", views.event_ics, name="ics"),
    path("termine/<slug:slug>/", views.event_detail, name="detail"),
    path("bezirke/", views.district_list, name="district-list"),
    path("bezirke/<slug:slug>/", views.district_detail, name="district"),
    path("bezirke/<slug:slug>/dossier/", views.district_dossier, name="district-dossier"),
]
