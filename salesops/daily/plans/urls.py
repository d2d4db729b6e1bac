"""Plan pages (R7): today's plan, a new plan, a plan and its buttons, the team's plans, print and sheet."""

from django.urls import URLPattern, URLResolver, path

from salesops.daily.plans import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("plans/", views.plan_today, name="plan-today"),
    path("plans/new/", views.plan_create, name="plan-create"),
    path("plans/team/", views.team_plans, name="plans-team"),
    path("plans/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan-edit"),
    path("plans/<int:pk>/requests/", views.request_add, name="plan-request-add"),
    path("plans/<int:pk>/submit/", views.plan_submit, name="plan-submit"),
    path("plans/<int:pk>/approve/", views.plan_approve, name="plan-approve"),
    path("plans/<int:pk>/return/", views.plan_return, name="plan-return"),
    path("plans/<int:pk>/print/", views.plan_print, name="plan-print"),
    path("plans/<int:pk>/plan.xlsx", views.plan_sheet, name="plan-sheet"),
    path("plans/requests/<int:pk>/fulfil/", views.request_fulfil, name="request-fulfil"),
    path("plans/requests/<int:pk>/decline/", views.request_decline, name="request-decline"),
]
