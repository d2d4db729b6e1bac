"""Page routes of the inbox."""

from django.urls import path

from salesops.notifications import views

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read-all/", views.mark_all_read, name="inbox-read-all"),
    path("inbox/<int:pk>/read/", views.mark_read, name="inbox-read"),
]
