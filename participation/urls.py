from django.urls import path

from participation import views

app_name = "participation"
urlpatterns = [
    path("beteiligung/", views.index, name="index"),
    path("konto/uebersicht/", views.account, name="account"),
    path("konto/meine-daten/", views.account_download, name="account-download"),
    path("konto/loeschen/", views.account_delete_confirm, name="account-delete"),
]
