from django.contrib.auth import views as auth_views
from django.urls import path

from salesops.accounts import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", views.account, name="account"),
    path("account/language/", views.set_language, name="language"),
    path("account/tokens/<str:key>/revoke/", views.token_revoke, name="token-revoke"),
    path(
        "account/password/",
        auth_views.PasswordChangeView.as_view(template_name="accounts/password.html", success_url="/account/"),
        name="password-change",
    ),
    path("people/", views.people, name="people"),
    path("people/<int:pk>/deactivate/", views.person_deactivate, name="person-deactivate"),
]
