"""Settings for intel, read from the environment (12-factor).

One module for every environment. Development needs nothing set: ``DEBUG=1`` (the
default of ``manage.py`` and of the test suite) gives a development secret key and an
SQLite file in the project folder. With ``DEBUG`` off (the default of the WSGI/ASGI
entry points) the process refuses to start without ``SECRET_KEY`` and turns on the
production safety settings that ``manage.py check --deploy`` asks for.

Environment variables:
    DEBUG                 1/true/yes/on to enable debug mode (default off)
    SECRET_KEY            required when DEBUG is off
    DATABASE_URL          e.g. postgres://user:pass@host:5432/intel (default: SQLite db.sqlite3)
    ALLOWED_HOSTS         comma-separated host names; required when DEBUG is off (default: localhost names when DEBUG)
    CSRF_TRUSTED_ORIGINS  comma-separated origins, e.g. https://intel.example.com
    INTEL_PUBLIC_READ     whether anonymous visitors may read (default on)
    INTEL_MAX_BODY_BYTES  the largest markdown body or statement accepted, in bytes (default 1 MB)
    INTEL_SNAPSHOT_MAX_BYTES    the largest source file or pasted text archived as a snapshot (default 20 MB)
    INTEL_API_REQUIRE_IF_MATCH  whether API writes must send If-Match (default off)
    INTEL_API_THROTTLE_ANON     API requests allowed per visitor, e.g. 60/min (default 120/min; "" for no limit)
    INTEL_API_THROTTLE_USER     API requests allowed per signed-in user (default 1200/min; "" for no limit)
    INTEL_API_MAX_PAGE_SIZE     the largest page_size an API list accepts (default 500)
    INTEL_LOGIN_FAILURE_LIMIT   wrong passwords for one user name from one address before a lockout (default 5)
    INTEL_LOGIN_COOLOFF_MINUTES how long such a lockout lasts (default 15)
    SECURE_SSL_REDIRECT   redirect http to https when DEBUG is off (default on)
    SECURE_HSTS_SECONDS   HSTS max-age when DEBUG is off (default one year)
"""

import datetime
from pathlib import Path

import dj_database_url
import orjson
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from intel.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env_str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable (required when DEBUG is off), "
            "or set DEBUG=1 for local development."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not ALLOWED_HOSTS and not DEBUG:
    # Django would start and answer every request 400; say why at once instead.
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is not set. Set it to the host names the wiki is served under, comma-separated "
        "(required when DEBUG is off), e.g. ALLOWED_HOSTS=intel.example.com."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

INTEL_PUBLIC_READ = env_bool("INTEL_PUBLIC_READ", default=True)
INTEL_MAX_BODY_BYTES = env_int("INTEL_MAX_BODY_BYTES", default=1_000_000)
# A form with a body at the limit, plus its other fields, still gets through; anything much
# larger is refused by Django before it is parsed (a 400 page that says so).
INTEL_SNAPSHOT_MAX_BYTES = env_int("INTEL_SNAPSHOT_MAX_BYTES", default=20 * 1024 * 1024)
# A pasted snapshot arrives as a form field, so the form-field limit must admit it; the
# snapshot form then says how far over its own limit a paste is.
DATA_UPLOAD_MAX_MEMORY_SIZE = max(2 * INTEL_MAX_BODY_BYTES, INTEL_SNAPSHOT_MAX_BYTES) + 1_000_000

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "reversion",
    "axes",
    "intel",
    "companies",
    "products",
    "search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: it answers a locked-out login attempt with the lockout page.
    "axes.middleware.AxesMiddleware",
]
if not INTEL_PUBLIC_READ:
    # Every page then needs a login, except those marked @login_not_required (the login page).
    MIDDLEWARE.append("django.contrib.auth.middleware.LoginRequiredMiddleware")

ROOT_URLCONF = "intel.urls"
WSGI_APPLICATION = "intel.wsgi.application"
ASGI_APPLICATION = "intel.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", default=60),
        conn_health_checks=True,
    )
}
# Every request is one transaction: a write either happens whole or not at all.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Chinese search (trigrams) needs a UTF-8 database; the test database is made so too.
    DATABASES["default"]["TEST"] = {"CHARSET": "UTF8", "TEMPLATE": "template0"}
    # Parameters sent apart from the SQL, so psycopg prepares a statement run five times and PostgreSQL
    # plans it once per connection: planning was a third of a page of claims (bench/run.py, "API list").
    DATABASES["default"]["OPTIONS"] = {"server_side_binding": True}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer writes; wait instead of failing on a lock.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Password guessing: after INTEL_LOGIN_FAILURE_LIMIT wrong passwords for one user name from one
# address, that pair is locked out for INTEL_LOGIN_COOLOFF_MINUTES (django-axes; the admin's
# login too). A right password resets the count. Behind a proxy the address is the proxy's, so
# the lock falls on the user name: see docs/architecture.md.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("INTEL_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("INTEL_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "intel.views.account.locked_out"
AXES_VERBOSE = False

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed files after collectstatic; with DEBUG on, plain names, no manifest needed.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Pages load nothing from another host; inline scripts need the request's nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# The REST API (/api/): see intel/api/ and docs/api.md.
INTEL_API_REQUIRE_IF_MATCH = env_bool("INTEL_API_REQUIRE_IF_MATCH", default=False)
INTEL_API_MAX_PAGE_SIZE = env_int("INTEL_API_MAX_PAGE_SIZE", default=500)
INTEL_API_THROTTLE = {
    "anon": env_str("INTEL_API_THROTTLE_ANON", default="120/min") or None,
    "user": env_str("INTEL_API_THROTTLE_USER", default="1200/min") or None,
}
REST_FRAMEWORK = {
    # Token first: an anonymous write is answered 401 with "WWW-Authenticate: Token".
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["intel.api.permissions.WikiRolePermission"],
    "DEFAULT_THROTTLE_CLASSES": ["intel.api.throttling.AnonThrottle", "intel.api.throttling.UserThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["drf_orjson_renderer.renderers.ORJSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["drf_orjson_renderer.parsers.ORJSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "intel.api.negotiation.ContentNegotiation",
    "DEFAULT_FILTER_BACKENDS": [
        "intel.filtering.FilterBackend",
        "search.filters.IndexSearchFilter",
        "intel.api.ordering.StrictOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "intel.api.pagination.PagePagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "intel.api.errors.exception_handler",
    "URL_FORMAT_OVERRIDE": "format",
    "DATETIME_FORMAT": "iso-8601",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Errors of list items are keyed by position ({"aliases": {"0": [...]}}).
    "ORJSON_RENDERER_OPTIONS": (orjson.OPT_NON_STR_KEYS,),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "intel API",
    "DESCRIPTION": (
        "Companies, products, roadmaps and the claims about them, each backed by citations to archived "
        "sources. Reads are open (or need a login when the wiki is private); writes need an analyst's "
        "token and make the same revisions as wiki edits. See docs/api.md."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One schema name per choice set, however many fields use it.
    "ENUM_NAME_OVERRIDES": {
        "ModerationStateEnum": "intel.choices.ModerationState",
        "ReliabilityEnum": "intel.choices.Reliability",
        "ClaimStatusEnum": "intel.choices.ClaimStatus",
        "ModerationActionEnum": "intel.choices.ModerationAction",
        "ChangeActionEnum": "intel.choices.ChangeAction",
        "ModerationDecisionEnum": ["approve", "reject", "send_back", "resubmit"],
        "PageKindEnum": ["company", "architecture", "product", "milestone", "source", "person", "claim"],
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "intel.api.schema.add_error_responses",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", default="INFO")},
}
