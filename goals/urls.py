from django.urls import path

from goals import views

app_name = "goals"
urlpatterns = [
    path("ziele/", views.goal_list, name="list"),
    # Fixed pages first: a goal can never be called "matrix" or "dossier".
    path("ziele/matrix/", views.matrix, name="matrix"),
    path("ziele/dossier/", views.dossier, name="dossier"),
    path("ziele/<slug:slug>/", views.goal_detail, name="detail"),
    path("ziele/<slug:slug>/vorschau/", views.goal_preview, name="preview"),
    path("massnahmen/", views.measure_list, name="measure-list"),
    path("massnahmen/<slug:slug>/", views.measure_detail, name="measure-detail"),
    path("massnahmen/<slug:slug>/vorschau/", views.measure_preview, name="measure-preview"),
]
