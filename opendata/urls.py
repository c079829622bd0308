from django.urls import path

from opendata import views

app_name = "opendata"
urlpatterns = [
    path("", views.index, name="index"),
    path("katalog.jsonld", views.catalog_view, name="catalog"),
    path("<slug:slug>.<str:extension>", views.download, name="download"),
]
