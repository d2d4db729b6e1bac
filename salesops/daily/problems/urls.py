"""Pages of R5 problems and R6 success cases."""

from django.urls import URLPattern, URLResolver, path

from salesops.daily.problems import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("problems/", views.problem_list, name="problems"),
    path("problems/new/", views.problem_create, name="problem-create"),
    path("problems/<int:pk>/", views.problem_detail, name="problem-detail"),
    path("problems/<int:pk>/assign/", views.problem_assign, name="problem-assign"),
    path("problems/<int:pk>/start/", views.problem_start, name="problem-start"),
    path("problems/<int:pk>/resolve/", views.problem_resolve, name="problem-resolve"),
    path("success-cases/", views.success_case_list, name="success-cases"),
    path("success-cases/new/", views.success_case_create, name="success-case-create"),
]
