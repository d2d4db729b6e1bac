"""Task pages: my tasks, the approval queue, a task and its actions, the new-task form, proof files."""

from django.urls import URLPattern, URLResolver, path

from salesops.tasks import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("tasks/", views.my_tasks, name="tasks-mine"),
    path("tasks/approvals/", views.approvals, name="tasks-approvals"),
    path("tasks/new/", views.task_create, name="task-create"),
    path("tasks/<int:pk>/", views.task_detail, name="task-detail"),
    path("tasks/<int:pk>/proofs/", views.proof_add, name="task-proof-add"),
    path("tasks/<int:pk>/submit/", views.task_submit, name="task-submit"),
    path("tasks/<int:pk>/approve/", views.task_approve, name="task-approve"),
    path("tasks/<int:pk>/reject/", views.task_reject, name="task-reject"),
    path("tasks/<int:pk>/reschedule/", views.task_reschedule, name="task-reschedule"),
    path("tasks/proofs/<int:pk>/", views.proof_file, name="task-proof"),
]
