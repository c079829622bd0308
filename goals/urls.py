from django.urls import path

from goals import views

app_name = "goals"
urlpatterns = [
    path("ziele/", views.goal_list, name="list"),
    path("ziele/<slug:slug>/", views.goal_detail, name="detail"),
    path("massnahmen/<slug:slug>/", views.measure_detail, name="measure-detail"),
]
