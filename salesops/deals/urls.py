"""Deal and contract pages: the board, the list, a deal's page and form, its actions; contracts and scans."""

from django.urls import URLPattern, URLResolver, path

from salesops.deals import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("deals/", views.deal_list, name="deals"),
    path("deals/board/", views.deal_board, name="deal-board"),
    path("deals/new/", views.deal_create, name="deal-create"),
    path("deals/<int:pk>/", views.deal_detail, name="deal-detail"),
    path("deals/<int:pk>/edit/", views.deal_edit, name="deal-edit"),
    path("deals/<int:pk>/stage/", views.deal_stage, name="deal-stage"),
    path("deals/<int:pk>/win/", views.deal_win, name="deal-win"),
    path("deals/<int:pk>/lose/", views.deal_lose, name="deal-lose"),
    path("deals/<int:pk>/reopen/", views.deal_reopen, name="deal-reopen"),
    path("contracts/", views.contract_list, name="contracts"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract-detail"),
    path("contracts/<int:pk>/scan/", views.contract_scan, name="contract-scan"),
]
