from django.urls import path

from participation import feeds, views

app_name = "participation"
urlpatterns = [
    path("beteiligung/", views.index, name="index"),
    path("beteiligung/statistik/", views.statistics_page, name="statistics"),
    path("beteiligung/runden/<slug:slug>/ergebnisse/", views.round_results, name="round-results"),
    path("beteiligung/antworten/feed/", feeds.AnswersFeed(), name="answers-feed"),
    path("ziele/<slug:slug>/feed/", feeds.GoalFeed(), name="goal-feed"),
    path(
        "konto/benachrichtigungen/abbestellen/<str:token>/",
        views.unsubscribe,
        name="unsubscribe",
    ),
    path("beitraege/<int:pk>/melden/", views.comment_report, name="comment-report"),
    # Before allauth's own route of the same path (hagen_isek/urls.py includes ours first).
    path(
        "konto/confirm-email/<str:key>/",
        views.ConfirmEmailThenContinueView.as_view(),
        name="confirm-email",
    ),
    path("konto/uebersicht/", views.account, name="account"),
    path("konto/folgen/", views.follow_settings, name="follow-settings"),
    path("konto/folgen/ziele/<slug:slug>/", views.follow_goal, name="follow-goal"),
    path("konto/folgen/bezirke/<slug:slug>/", views.follow_district, name="follow-district"),
    path("konto/meine-daten/", views.account_download, name="account-download"),
    path("konto/loeschen/", views.account_delete_confirm, name="account-delete"),
    path("ziele/<slug:slug>/beitraege/neu/", views.comment_create, name="comment-create"),
    path("beitraege/<int:pk>/antworten/", views.comment_reply, name="comment-reply"),
    path("beitraege/<int:pk>/bearbeiten/", views.comment_edit, name="comment-edit"),
    path("beitraege/<int:pk>/zurueckziehen/", views.comment_withdraw, name="comment-withdraw"),
    path("beitraege/<int:pk>/widerspruch/", views.comment_object, name="comment-object"),
    path("beitraege/<int:pk>/zustimmung/", views.support_toggle, name="support-toggle"),
]
