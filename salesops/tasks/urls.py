"""Task pages: my tasks, the approval queue, a task, the new-task form, proof files."""

from django.urls import URLPattern, URLResolver, path

from salesops.tasks import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("tasks/proofs/<int:pk>/", views.proof_file, name="task-proof"),
]
