"""The baseline for `make bench`: the real settings and middleware, one bare view, no database.

Served by the same WSGI server with the same workers as the site, it shows what this machine can do at all,
so each page's requests/s can be printed as a share of it (bench/run.py).
"""

from newsroom.settings import *  # noqa: F403
from newsroom.settings import MIDDLEWARE, TEMPLATES, VAR_DIR

ROOT_URLCONF = "bench.baseline_urls"
# bench/run.py writes bench/baseline.html here: a real article page, so the sizes match.
# Django's own stack: the kept-page shortcut (first in MIDDLEWARE) would only cost the bare view a lookup.
MIDDLEWARE = [name for name in MIDDLEWARE if name != "articles.freshness.pages.KeptPageMiddleware"]
TEMPLATES = [{**TEMPLATES[0], "DIRS": [*TEMPLATES[0]["DIRS"], VAR_DIR / "bench" / "templates"]}]
