from django.urls import path

from participation import views

app_name = "participation"
urlpatterns = [
    path("beteiligung/", views.index, name="index"),
    path("konto/uebersicht/", views.account, name="account"),
]
