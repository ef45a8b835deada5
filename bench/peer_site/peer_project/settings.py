"""Settings of the peer site: django-wiki 0.13 as it would run in production, for the benchmark.

The benchmark compares intel's page view, history and edit with the same operations in
django-wiki, so this site is set up the way intel is measured: DEBUG off (Django then
uses cached template loaders), PostgreSQL with persistent connections (CONN_MAX_AGE=60
and health checks, as intel), sessions in the database, CSRF on. Only the core wiki and
two plugins that need no models or other services (links: wiki:/path links and bare
URLs made links; macros: [[WikiLinks]], [TOC] and [article_list]) are installed; notifications, images and
attachments are left out, as is the admin. Nothing here contacts another host: no mail
is sent, the cache is in-process.

Environment:
    PEER_DATABASE_URL     postgres://user@host:port/name (required)
    PEER_SECRET_KEY       defaults to a fixed key: the site only ever serves the benchmark
    PEER_DEBUG=1          DEBUG on, for looking at errors by hand; never while measuring
    PEER_CACHE=dummy      turn off django-wiki's cache of rendered articles (it keeps the
                          rendered HTML of each revision for 600 s; on by default, as in a
                          stock django-wiki)
    PEER_ATOMIC_REQUESTS=1  one transaction per request, as intel does (off by default:
                          django-wiki does not ask for it)
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ.get("PEER_SECRET_KEY", "peer-bench-not-secret-3c9f0b6e8d2a4f17a5e1c0d9b8a7f6e5")
DEBUG = os.environ.get("PEER_DEBUG", "") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize.apps.HumanizeConfig",
    "mptt",
    "sekizai",
    "wiki.apps.WikiConfig",
    "wiki.plugins.links.apps.LinksConfig",
    "wiki.plugins.macros.apps.MacrosConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "peer_project.urls"
WSGI_APPLICATION = "peer_project.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        # No "loaders": Django then wraps the app loaders in the cached loader.
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.contrib.auth.context_processors.auth",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.static",
                "django.template.context_processors.tz",
                "django.contrib.messages.context_processors.messages",
                "sekizai.context_processors.sekizai",
            ],
        },
    },
]

_database_url = os.environ.get("PEER_DATABASE_URL", "")
if not _database_url.startswith(("postgres://", "postgresql://")):
    raise RuntimeError("Set PEER_DATABASE_URL to the peer's PostgreSQL database, postgres://user@host:port/name")
DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)}
DATABASES["default"]["ATOMIC_REQUESTS"] = os.environ.get("PEER_ATOMIC_REQUESTS", "") == "1"
# django-wiki's migrations use AutoField; keep it so migrate finds nothing to change.
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.dummy.DummyCache"
        if os.environ.get("PEER_CACHE", "") == "dummy"
        else "django.core.cache.backends.locmem.LocMemCache",
    }
}

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SITE_ID = 1
LOGIN_URL = "wiki:login"
LOGIN_REDIRECT_URL = "/"

# Production-like: nobody signs up, edits are by logged-in users.
WIKI_ACCOUNT_HANDLING = True
WIKI_ACCOUNT_SIGNUP_ALLOWED = False
WIKI_ANONYMOUS_WRITE = False

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Plain storage: {% static %} needs no manifest, so pages render without collectstatic.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / "media"

EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
ADMINS = []

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False}},
}
