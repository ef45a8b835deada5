"""WSGI entry point for gunicorn: ``gunicorn peer_project.wsgi`` from bench/peer_site."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peer_project.settings")

application = get_wsgi_application()
