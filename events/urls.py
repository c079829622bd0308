from django.urls import path

from events import views

app_name = "events"
urlpatterns = [
    path("termine/", views.event_list, name="list"),
    path("bezirke/<slug:slug>/", views.district_detail, name="district"),
]
