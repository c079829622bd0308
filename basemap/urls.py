from django.urls import path

from basemap import views

app_name = "basemap"
urlpatterns = [
    path("stadtplan.pmtiles", views.tiles, name="tiles"),
    path("stadtplan-stil.json", views.style, name="style"),
]
