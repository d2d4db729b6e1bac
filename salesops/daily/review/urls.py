"""Pages of the weekly review (R18)."""

from django.urls import path

from salesops.daily.review import views

urlpatterns = [
    path("reviews/weekly/", views.review_page, name="weekly-review"),
    path("reviews/weekly/print/", views.review_print, name="weekly-review-print"),
    path("reviews/weekly/review.xlsx", views.review_export, name="weekly-review-export"),
]
