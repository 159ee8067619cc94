"""Newsroom settings, driven by environment variables.

DATABASE_URL  database (default: SQLite file under var/); postgres://user@host:5432/name for PostgreSQL
DATABASE_REPLICA_URL optional read replica; public pages read from it, writes and the admin use DATABASE_URL
REDIS_URL     optional Redis for the cache and Trending Now counts (redis://127.0.0.1:6379/0)
SECRET_KEY    required when DEBUG is off
DEBUG         1 for development (the default), 0 in production
ALLOWED_HOSTS comma-separated host names
TIME_ZONE     the newsroom's zone (default Europe/Berlin); datelines are shown in it
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Load balancers and proxies (addresses or networks) whose X-Forwarded-For is believed (articles/clients.py).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])

SITE_NAME = os.environ.get("SITE_NAME", "The Newsroom")
SITE_LANGUAGE = "en"

INSTALLED_APPS = [
    "articles.apps.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",  # full-text search on PostgreSQL; inert on SQLite
    "taggit",
    "reversion",
    "django_prose_editor",
    # django-axes (login throttling), named for editors; before articles, so its permissions exist when
    # migrate gives Editors theirs (articles/roles.py)
    "articles.apps.LoginLockoutsConfig",
    "articles",
]

MIDDLEWARE = [
    # First: a reader's kept page is answered with the headers the rest added last time (docs/freshness.md).
    "articles.freshness.pages.KeptPageMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a refused login into the lockout page (newsroom/lockout.py).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'newsroom.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)  # var/ on a fresh clone
    # WAL lets readers work while the importer or the beacon writes; IMMEDIATE avoids upgrade deadlocks.
    # Reads through mmap (up to SQLITE_MMAP_BYTES of the file) take pages straight from the kernel's page
    # cache, shared by every worker, instead of copying them into each connection's own 2 MB cache: uncached
    # pages 10-15% faster at 100,000 stories. A worker's RSS counts those shared pages too (docs/deploy.md).
    mmap_bytes = int(os.environ.get("SQLITE_MMAP_BYTES", str(2**30)))
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; "
            f"PRAGMA mmap_size={mmap_bytes};"
        ),
        "transaction_mode": "IMMEDIATE",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).update({"connect_timeout": 5})

# A read replica: readers' GET requests read from it; writes, the admin, logged-in users and commands use
# the primary.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=True,
    )
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["replica"].setdefault("OPTIONS", {}).update({"connect_timeout": 5})
    # Tests create no separate database for the replica: it mirrors the primary's.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["articles.routers.ReplicaRouter"]
    # Marks readers' GET requests, which the router then sends to the replica.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.common.CommonMiddleware"), "articles.routers.ReplicaMiddleware"
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, answering misses while Redis is down (one warning per outage).
            "BACKEND": "articles.freshness.redis.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "newsroom",
            # A Redis that hangs must not hang the page: give up quickly and render uncached.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "newsroom",
            "OPTIONS": {"MAX_ENTRIES": 10000},
        }
    }

# Login throttling (django-axes). After LOGIN_FAILURE_LIMIT failed logins, the account is refused from every
# address and the address is refused for every account, until LOGIN_COOLOFF_MINUTES after the last failure.
# By address alone a botnet could try an account forever, one guess per address; by account too, a guesser
# gets LOGIN_FAILURE_LIMIT tries per cool-off in all. The price: anyone can keep an editor out by failing on
# purpose, a quarter of an hour at a time, which an editor or `manage.py axes_reset_username NAME` undoes
# (admin: Axes > Access attempts, delete the rows).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out login before any password check
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# The client's address as the rest of the site sees it: X-Forwarded-For only from TRUSTED_PROXIES.
AXES_CLIENT_IP_CALLABLE = "articles.clients.client_address"
# The admin login page saying until when, instead of axes's bare text.
AXES_LOCKOUT_CALLABLE = "newsroom.lockout.locked_out"
# Attempts during a lockout do not move its end on, so the time on the page holds.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Not AXES_RESET_ON_SUCCESS: it clears the address's failures too, so a writer logging in with their own
# password between guesses at an editor's would never be locked out.

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Berlin")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Photo uploads: refused above this many pixels (decompression bombs) or bytes.
MAX_IMAGE_PIXELS = 40_000_000
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Trending Now: the window, how many stories, how long a computed list is reused,
# and how long one reader's repeated views of one story count once.
TRENDING_WINDOW_HOURS = int(os.environ.get("TRENDING_WINDOW_HOURS", "48"))
TRENDING_SIZE = 5
TRENDING_CACHE_SECONDS = 30  # plus PAGE_CACHE_SECONDS: Trending Now on a page is at most a minute old
TRENDING_DEDUP_SECONDS = 30 * 60
# Views bought by one client (security review #17, finding 9): an address (an IPv6 /64) has at most this many
# views counted per window, whatever User-Agents it sends. An office, a university or a mobile carrier puts
# many readers behind one address, so it allows a dozen people reading several stories each in ten minutes;
# beyond that views go uncounted (the reader notices nothing), and one address adds at most 360 an hour.
TRENDING_ADDRESS_VIEWS = int(os.environ.get("TRENDING_ADDRESS_VIEWS", "60"))
TRENDING_ADDRESS_SECONDS = int(os.environ.get("TRENDING_ADDRESS_SECONDS", "600"))
# Where the counts live: "redis" (hourly sorted sets; the beacon never writes to the database) or "database".
TRENDING_BACKEND = os.environ.get("TRENDING_BACKEND", "redis" if REDIS_URL else "database")

PAGE_SIZE = 20
# How long a list's story count is reused (it is also recounted after any change to the content).
LIST_COUNT_SECONDS = 300

# Public pages: served from the cache until something they show changes (articles.freshness), for at most
# PAGE_CACHE_SECONDS; browsers revalidate each time (a cheap 304), shared caches and CDNs may keep a page
# PAGE_SHARED_MAX_AGE. Trending Now is filled into cached pages from its own TRENDING_CACHE_SECONDS cache.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))
PAGE_MAX_AGE = int(os.environ.get("PAGE_MAX_AGE", "0"))
PAGE_SHARED_MAX_AGE = int(os.environ.get("PAGE_SHARED_MAX_AGE", "30"))
# 404, 410 and redirects: browsers ask again each time (a story put back is readable at once), shared caches
# may keep them this long.
PAGE_ERROR_SHARED_MAX_AGE = int(os.environ.get("PAGE_ERROR_SHARED_MAX_AGE", "10"))
# A worker trusts a page it checked this long (a save in another process shows within it; one in the same
# process at once), so a cached page needs no trip to Redis.
CONTENT_VERSION_POLL_SECONDS = float(os.environ.get("CONTENT_VERSION_POLL_SECONDS", "1"))
# Story cards, the menu and other fragments are kept until what they show changes, and at most this long: a
# write that sends no signal (update(), raw SQL) and no `freshness.changed()` shows within it.
LOCAL_FRAGMENT_SECONDS = int(os.environ.get("LOCAL_FRAGMENT_SECONDS", "300"))
# An HTTP cache in front (docs/varnish.md): every public page names what it shows in surrogate keys, and a
# save purges the keys it changed through HTTP_CACHE_PURGE: "" (none), "varnish", "fastly" or "cloudflare".
HTTP_CACHE_PURGE = os.environ.get("HTTP_CACHE_PURGE", "")
# With purging on, shared caches may keep a page this long (Trending Now, which no save changes, is at most
# this old there); never past the next scheduled go-live.
PAGE_PURGED_SHARED_MAX_AGE = int(os.environ.get("PAGE_PURGED_SHARED_MAX_AGE", "300"))
VARNISH_URLS = os.environ.get("VARNISH_URLS", "http://127.0.0.1:6081")  # comma-separated
FASTLY_API_URL = os.environ.get("FASTLY_API_URL", "https://api.fastly.com")
FASTLY_SERVICE_ID = os.environ.get("FASTLY_SERVICE_ID", "")
FASTLY_API_TOKEN = os.environ.get("FASTLY_API_TOKEN", "")
CLOUDFLARE_API_URL = os.environ.get("CLOUDFLARE_API_URL", "https://api.cloudflare.com")
CLOUDFLARE_ZONE_ID = os.environ.get("CLOUDFLARE_ZONE_ID", "")
CLOUDFLARE_API_TOKEN = os.environ.get("CLOUDFLARE_API_TOKEN", "")
HTTP_CACHE_PURGE_TIMEOUT = float(os.environ.get("HTTP_CACHE_PURGE_TIMEOUT", "2"))
# Purged again this much later: by then every app server has seen the save (CONTENT_VERSION_POLL_SECONDS), so
# a page one of them rendered from the old content in between is not kept. 0: once only.
HTTP_CACHE_PURGE_AGAIN_SECONDS = float(os.environ.get("HTTP_CACHE_PURGE_AGAIN_SECONDS", "2"))
if HTTP_CACHE_PURGE not in ("", "varnish", "fastly", "cloudflare"):
    raise ImproperlyConfigured(
        f"HTTP_CACHE_PURGE must be varnish, fastly, cloudflare or empty, not {HTTP_CACHE_PURGE!r}"
    )
# PostgreSQL's text search configuration for the site's language (stemming and stop words).
SEARCH_CONFIG = os.environ.get("SEARCH_CONFIG", "english")

# Content-Security-Policy: public pages run only our own static scripts (no inline script, so a cached page
# stays valid for every reader); the admin's inline scripts and styles carry Django's per-response nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    # Behind a TLS-terminating proxy or load balancer that sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- freshness
# This worker's own memory (articles.freshness): pages it checked, story cards, the menu. Every entry expires.
CACHES["local"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "newsroom-local",
    # ~1 KB a card, up to ~100 KB a page: some tens of MB a worker at most
    "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("LOCAL_CACHE_ENTRIES", "20000"))},
    "TIMEOUT": 300,
}

# --- look (issue #13)
# The one date style of the site and the admin (Django's date format letters): the seed page's dateline,
# "Jan.07 - 2024 12:58 PM CET", in TIME_ZONE.
NEWSROOM_DATE_FORMAT = os.environ.get("NEWSROOM_DATE_FORMAT", "M.d - Y h:i A T")
# Our format module: gives the admin's date and time columns NEWSROOM_DATE_FORMAT (newsroom/formats/).
FORMAT_MODULE_PATH = ["newsroom.formats"]
# The newspaper's own pages (about, contact, corrections policy), linked in every page's footer (pages/).
INSTALLED_APPS += ["pages"]

# --- the editing desk (issue #15)
# Email (an @mention in a story note): the console in development, SMTP on EMAIL_HOST:EMAIL_PORT otherwise.
MAILERS = {
    "default": {
        "BACKEND": os.environ.get(
            "EMAIL_BACKEND",
            "django.core.mail.backends.console.EmailBackend"
            if DEBUG
            else "django.core.mail.backends.smtp.EmailBackend",
        ),
        "OPTIONS": {}
        if DEBUG
        else {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("EMAIL_PORT", "25")),
        },
    }
}
# Seconds without a heartbeat after which a story's editing session (and its lock) is gone.
DESK_LOCK_SECONDS = int(os.environ.get("DESK_LOCK_SECONDS", "90"))

# --- story bodies (issue #14; docs/story-bodies.md)
# Seconds to wait for an oEmbed provider when an editor saves a story with a new embed.
EMBED_TIMEOUT_SECONDS = float(os.environ.get("EMBED_TIMEOUT_SECONDS", "5"))
# The largest oEmbed answer read, in bytes; a larger one leaves a plain link.
EMBED_MAX_BYTES = int(os.environ.get("EMBED_MAX_BYTES", str(256 * 1024)))
# Mastodon servers whose posts may be embedded (each has its own oEmbed endpoint).
EMBED_MASTODON_HOSTS = env_list("EMBED_MASTODON_HOSTS", ["mastodon.social"])
# A Meta app token for Instagram's oEmbed; without one an Instagram embed is a link to the post.
EMBED_FACEBOOK_TOKEN = os.environ.get("EMBED_FACEBOOK_TOKEN", "")
# Tests only: every provider's endpoint on this local fake server (the only private address allowed then).
EMBED_TEST_SERVER = ""
# The editor's buttons for the body's elements (static/js/body-editor.js; sanitizer: articles/html.py).
from js_asset.js import static_lazy  # noqa: E402 -- the module's address, resolved when a form is shown

DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [static_lazy("js/body-editor.js")],
        "extensions": dict.fromkeys(
            ("BodyPhoto", "BodyGallery", "BodyEmbed", "PullQuote", "FactBox"),
            "articles.html.allow_body_elements",
        ),
    }
]

# --- photos (media library, background renditions)
# django-tasks-db: Django's tasks framework with a queue in our own database; `manage.py db_worker` runs it.
INSTALLED_APPS += ["django_tasks_db"]
# Where background tasks (photo renditions) go: the database queue by default, so `make run` needs nothing
# else; TASKS_BACKEND may name another django.tasks backend (docs/photos.md: Redis with django-tasks-rq).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
