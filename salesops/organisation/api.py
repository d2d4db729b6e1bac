"""API for the organisation: rule settings and the working calendar."""

api_urlpatterns: list = []
