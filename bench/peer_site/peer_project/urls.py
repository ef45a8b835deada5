"""The peer's URLs: django-wiki at the site root, as its docs set it up.

Login is django-wiki's own /_accounts/login/ (Django's AuthenticationForm and login()).
"""

from django.urls import include, path

urlpatterns = [
    path("", include("wiki.urls")),
]
