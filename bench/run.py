"""`make bench`: build a large newsroom, serve it as in production, load it, print figures next to targets.

    python bench/run.py                    # 100,000 stories, 1,000,000 views (about 25 minutes on 2 cores)
    python bench/run.py --size small       # 5,000 stories, 50,000 views, shorter runs (about 8 minutes)
    python bench/run.py --json out.json    # where the figures go (default var/bench/results.json)

The site is served by the production WSGI server (2 workers, DEBUG=0, a real SECRET_KEY, collected static
files) on 127.0.0.1 and loaded with wrk. Data go to SQLite under var/bench/ unless DATABASE_URL names a
PostgreSQL database. Cache and Trending Now use a Redis of the benchmark's own on port 6390 (started here,
never the main one). Throughput is printed as a share of a baseline (a bare Django view rendering a page of
the same size, no database, served the same way), so results mean something on a busy machine.
"""

import argparse
import hashlib
import json
import os
import re
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))  # bench.faults
WORK = BASE_DIR / "var" / "bench"
PY = sys.executable
# Ports of the benchmark's own Redis and servers; set them apart when two checkouts bench on one machine.
REDIS_PORT = int(os.environ.get("BENCH_REDIS_PORT", "6390"))
PORT = int(os.environ.get("BENCH_PORT", "8310"))
# An existing Redis database to use instead of starting one (e.g. redis://127.0.0.1:6379/14): the site's
# cache keys in it are dropped at the start, nothing else. Varnish's port and working directory likewise.
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "")
VARNISH_PORT = int(os.environ.get("BENCH_VARNISH_PORT", "0")) or PORT + 3
VARNISH_DIR = os.environ.get("BENCH_VARNISH_DIR", "")

SIZES = {
    "full": {"stories": 100_000, "events": 1_000_000, "seconds": 10, "load_seconds": 60},
    "small": {"stories": 5_000, "events": 50_000, "seconds": 4, "load_seconds": 20},
}
STEPS = ["queries", "trending", "pages", "beacon", "servers", "load", "churn", "varnish", "import", "faults"]
PAGES = ["home", "section", "author", "tag", "article", "search"]

TARGETS = {
    "cached_ratio": 0.90,  # cached pages: at least 90% of the baseline's requests/s (issue #12)
    "uncached_ratio": 0.25,  # uncached article, section, home: at least 25%
    "queries": 6,  # SQL queries per uncached page
    "p99_ms": 100,  # at 16 connections
    "trending_ms": 20,
    "beacon_rps": 1000,
    "churn_ratio": 0.9,  # the news mix while the newsroom saves, against the same mix with no saves
    "varnish_ratio": 5.0,  # the news mix through Varnish, against the same granian alone
    "article_ms": 3.7,  # the uncached article page in process: half of 7.4 ms, its time before #12
    "import_per_second": 500,  # stories/s into SQLite (issue "import_articles")
    "import_peak_mb": 300,
}


def say(text: str = "") -> None:
    print(text, flush=True)


def mark(ok: bool) -> str:
    return "met" if ok else "NOT MET"


# --- services ---------------------------------------------------------------------------------------------


def redis_up(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def start_redis(port: int = REDIS_PORT) -> None:
    """A Redis of the benchmark's own; page entries (short TTL) are evicted before trending keys."""
    if redis_up(port):
        return
    subprocess.run(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--daemonize", "yes", "--maxmemory", "2gb", "--maxmemory-policy", "volatile-ttl",
         "--dir", str(WORK), "--logfile", str(WORK / "redis.log"), "--pidfile", str(WORK / "redis.pid")],
        check=True,
    )  # fmt: skip
    for _ in range(50):
        if redis_up(port):
            return
        time.sleep(0.1)
    raise SystemExit(f"Redis did not start on port {port}; see {WORK / 'redis.log'}")


def database_urls(stories: int) -> tuple[str, str]:
    """The main dataset's database and the 1,000-story one, beside it."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg2

        base, name = url.rsplit("/", 1)
        small = f"{name}_1k"
        server = psycopg2.connect(f"{base}/postgres")
        server.autocommit = True
        with server.cursor() as cursor:
            for db in (name, small):
                cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db])
                if not cursor.fetchone():
                    cursor.execute(f'CREATE DATABASE "{db}"')
        server.close()
        return url, f"{base}/{small}"
    return f"sqlite:///{WORK / f'newsroom-{stories}.sqlite3'}", f"sqlite:///{WORK / 'newsroom-1000.sqlite3'}"


def env_for(database_url: str, redis_url: str = "", **extra) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
    }
    env["PYTHONPATH"] = str(BASE_DIR)
    if database_url:
        env["DATABASE_URL"] = database_url
    if redis_url:
        env["REDIS_URL"] = redis_url
    env.update(extra)
    return env


def run_py(args: list[str], env: dict, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([PY, *args], env=env, cwd=BASE_DIR, check=True, **kwargs)


# --- serving ----------------------------------------------------------------------------------------------


def production_env(database_url: str, redis_url: str, static_root: str, settings_module: str) -> dict:
    return env_for(
        database_url,
        redis_url,
        DJANGO_SETTINGS_MODULE=settings_module,
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        STATIC_ROOT=static_root,
        SECURE_SSL_REDIRECT="0",  # plain HTTP on loopback; TLS belongs to the load balancer
        LOG_LEVEL="WARNING",
    )


SERVERS = {
    "granian": lambda port, workers: [
        str(Path(PY).parent / "granian"), "--interface", "wsgi", "newsroom.wsgi:application",
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers), "--blocking-threads", "4",
        "--no-ws", "--log-level", "warning",
    ],
    "gunicorn-sync": lambda port, workers: [
        str(Path(PY).parent / "gunicorn"), "newsroom.wsgi:application", "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers), "--log-level", "warning",
    ],
    "gunicorn-gthread": lambda port, workers: [
        str(Path(PY).parent / "gunicorn"), "newsroom.wsgi:application", "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers), "--worker-class", "gthread", "--threads", "4", "--log-level", "warning",
    ],
}  # fmt: skip


def descendants(root: int) -> list[int]:
    """The processes under `root`, from /proc."""
    children, found = {}, []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    todo = [root]
    while todo:
        pid = todo.pop()
        for child in children.get(pid, []):
            found.append(child)
            todo.append(child)
    return sorted(found)


def cpu_seconds(pids: list[int]) -> float:
    """CPU time (user + system) these processes have used so far."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def on_cpus(command: list[str], cpus: str) -> list[str]:
    """The command run on these CPUs only (taskset; its children inherit them), or as it is for ""."""
    return ["taskset", "-c", cpus, *command] if cpus else command


class Server:
    def __init__(self, kind: str, env: dict, log: Path, port: int = 0, workers: int = 2, cpus: str = ""):
        port = port or PORT
        self.kind, self.port, self.log = kind, port, log
        self.log_file = log.open("w")
        self.process = subprocess.Popen(
            on_cpus(SERVERS[kind](port, workers), cpus),
            env=env,
            cwd=BASE_DIR,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.stop()
                raise SystemExit(f"{kind} exited at start; see {log}")
            try:
                urllib.request.urlopen(self.url("/"), timeout=5).read()
                return
            except (urllib.error.URLError, OSError):
                time.sleep(0.3)
        self.stop()
        raise SystemExit(f"{kind} did not answer 200 within 60 s; see {log}")

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def workers(self) -> list[int]:
        """Worker processes: the server's descendants that run Python."""
        return descendants(self.process.pid) or [self.process.pid]

    def memory_mb(self) -> dict[int, dict]:
        """Per worker: peak resident memory (VmHWM), and private memory now (RssAnon).

        VmHWM counts the SQLite file's pages a worker read through mmap, once for each of its connections
        (one per thread) that mapped them: the kernel's page cache, shared by every worker and dropped under
        memory pressure. RssAnon is the memory the worker alone holds.
        """
        peaks = {}
        for pid in self.workers():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            fields = dict(re.findall(r"^(VmHWM|RssAnon):\s+(\d+) kB", status, re.M))
            if fields:
                peaks[pid] = {name: round(int(kb) / 1024, 1) for name, kb in fields.items()}
        return peaks

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the server's workers have used so far."""
        return cpu_seconds(self.workers())

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log_file.close()


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


# --- load -------------------------------------------------------------------------------------------------


def wrk(
    server: Server, paths_file: Path, seconds: int, connections: int = 16, *flags: str, timeout=5, cpus=""
) -> dict:
    """Drive the server with wrk; requests/s, p50 and p99 in ms, errors (socket errors + non-2xx/3xx)."""
    command = on_cpus([
        "wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", f"{timeout}s", "--latency",
        "-s", str(BASE_DIR / "bench" / "wrk.lua"), server.url("/"), "--", str(paths_file), *flags,
    ], cpus)  # fmt: skip
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = parse_wrk(out)
    # wrk's own CPU (the only child waited for meanwhile): the share of the machine the load generator took
    wrk_cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    result["wrk_cpu_ms"] = round(1000 * wrk_cpu / max(1, result["requests"]), 3)
    return result


def measured(server: Server, paths_file: Path, seconds: int, cpus: str = "") -> dict:
    """`wrk` at 16 connections, with the server's worker CPU per request (ms): unlike requests/s, it hardly
    moves when other work shares the machine."""
    cpu = server.cpu_seconds()
    result = wrk(server, paths_file, seconds, cpus=cpus)
    result["cpu_ms"] = round(1000 * (server.cpu_seconds() - cpu) / max(1, result["requests"]), 3)
    return result


def to_ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return round(float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit], 2)


def parse_wrk(out: str) -> dict:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    return {
        "rps": round(rps, 1),
        "p50_ms": to_ms(p50.group(1)) if p50 else None,
        "p99_ms": to_ms(p99.group(1)) if p99 else None,
        "requests": requests,
        "socket_errors": sum(int(n) for n in socket_errors.groups()) if socket_errors else 0,
        "bad_status": int(non2xx.group(1)) if non2xx else 0,
        "errors": (sum(int(n) for n in socket_errors.groups()) if socket_errors else 0)
        + (int(non2xx.group(1)) if non2xx else 0),
    }


def drop_cache(redis_url: str) -> None:
    """Empty the site's cache (keys "newsroom:<version>:..."), keeping the Trending Now counters."""
    import redis

    client = redis.Redis.from_url(redis_url)
    keys = [
        key
        for key in client.scan_iter(match="newsroom:*", count=10_000)
        if not key.startswith(b"newsroom:trending:")
    ]
    for start in range(0, len(keys), 10_000):
        client.unlink(*keys[start : start + 10_000])


def drop_cached_pages(redis_url: str) -> None:
    """Forget cached pages between runs, so "cached" figures start from the same place each time."""
    import redis

    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match="*:page:*", count=10_000))
    for start in range(0, len(keys), 10_000):
        client.unlink(*keys[start : start + 10_000])


# --- the suite --------------------------------------------------------------------------------------------


def figure(label: str, value, target: str, ok: bool | None) -> None:
    verdict = "" if ok is None else f"  [{mark(ok)}]"
    say(f"  {label:<44} {value:<28} target {target}{verdict}")


def main() -> None:
    global PORT, REDIS_URL, VARNISH_PORT, VARNISH_DIR
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", choices=list(SIZES), default="full")
    parser.add_argument("--stories", type=int, help="override the size's story count")
    parser.add_argument("--seconds", type=int, help="seconds per wrk run")
    parser.add_argument("--json", type=Path, default=WORK / "results.json")
    parser.add_argument("--regenerate", action="store_true", help="rebuild the dataset even if it exists")
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        help=f"leave out a step ({', '.join(STEPS)}) or the search page (search)",
    )
    parser.add_argument("--only", action="append", default=[], help="run only this step (and the dataset)")
    parser.add_argument("--port", type=int, help=f"first server port (BENCH_PORT, {PORT})")
    parser.add_argument("--redis-url", help="use this Redis database, not one of our own (BENCH_REDIS_URL)")
    parser.add_argument("--varnish-port", type=int, help="Varnish's (BENCH_VARNISH_PORT, port+3)")
    parser.add_argument("--varnish-dir", help="Varnish's -n parent (BENCH_VARNISH_DIR)")
    args = parser.parse_args()
    if args.port:
        PORT = args.port
        VARNISH_PORT = int(os.environ.get("BENCH_VARNISH_PORT", "0")) or PORT + 3
    REDIS_URL = args.redis_url or REDIS_URL
    VARNISH_PORT = args.varnish_port or VARNISH_PORT
    VARNISH_DIR = args.varnish_dir or VARNISH_DIR
    unknown = sorted({*args.only, *args.skip} - {*STEPS, "search"})
    if unknown:  # a misspelt step would otherwise run nothing and overwrite the results file
        parser.error(f"no such step: {', '.join(unknown)} (steps: {', '.join(STEPS)})")
    if "search" in args.skip:  # e.g. search without its index takes minutes a query on PostgreSQL
        os.environ["BENCH_SKIP_SEARCH"] = "1"

    def wanted(step: str) -> bool:
        return (not args.only or step in args.only) and step not in args.skip

    size = dict(SIZES[args.size])
    if args.stories:
        size.update(stories=args.stories, events=args.stories * 10)
    seconds = args.seconds or size["seconds"]
    WORK.mkdir(parents=True, exist_ok=True)
    began = time.monotonic()
    results: dict = {"size": args.size, **size, "machine": {"cpus": os.cpu_count()}, "targets": TARGETS}

    if REDIS_URL:
        redis_url = REDIS_URL
    else:
        start_redis()
        redis_url = f"redis://127.0.0.1:{REDIS_PORT}/0"
    main_db, small_db = database_urls(size["stories"])
    results["database"] = main_db.split(":", 1)[0]

    say(f"== Dataset: {size['stories']} stories, {size['events']} views over 7 days ({results['database']})")
    generated = {}
    for url, stories, events in ((small_db, 1000, 10_000), (main_db, size["stories"], size["events"])):
        marker = WORK / f"generated-{hashlib.md5(url.encode()).hexdigest()[:10]}-{stories}.json"
        missing = url.startswith("sqlite") and not Path(url.removeprefix("sqlite:///")).exists()
        rebuild = args.regenerate or missing or not marker.exists()
        command = ["bench/generate.py", "--stories", str(stories), "--events", str(events)]
        if not rebuild:
            command.append("--views-only")  # views are relative to now: refresh them every run
        out = WORK / "generate.json"
        run_py([*command, "--json", str(out)], env_for(url, redis_url if url == main_db else ""))
        generated[stories] = json.loads(out.read_text())
        if rebuild:
            marker.write_text(json.dumps(generated[stories]))
    results["generate"] = generated

    article_html = ""
    if wanted("queries"):
        say("\n== SQL queries per page (rendered afresh, the page cache off)")
        counts = {}
        for label, url in (("1k", small_db), ("main", main_db)):
            out = WORK / f"pages-{label}.json"
            run_py(["bench/measure.py", "pages", "--json", str(out)], env_for(url))
            counts[label] = json.loads(out.read_text())
        article_html = counts["main"].pop("article_html")
        counts["1k"].pop("article_html", None)
        results["queries"] = counts
        site_wide = (counts["main"]["site_wide_queries"], counts["1k"]["site_wide_queries"])
        say("  cold: the page's first render in a worker (its fragments not made yet); warm: its cards,")
        say("  front and counts remembered. The parts every page shows, made once per worker for all pages:")
        say(f"  menu, banner, footer, Trending Now, Just in, next go-live: {site_wide[0]} queries "
            f"({site_wide[1]} at 1,000 stories), not in the pages' counts")  # fmt: skip
        say(
            f"  {'page':<20}{'1,000 stories':>15}{size['stories']:>16,} stories   "
            f"target <= {TARGETS['queries']}, equal"
        )
        say(f"  {'':<20}{'cold / warm':>15}{'cold / warm':>16}{'in process':>16}")
        for name, page in counts["main"]["pages"].items():
            small = counts["1k"]["pages"].get(name, {})
            cold, warm = page["cold_queries"], page["queries"]
            same = (small.get("cold_queries"), small.get("queries")) == (cold, warm)
            ok = same and max(cold, warm) <= TARGETS["queries"]
            scans = f"  full scans: {', '.join(page['full_scans'])}" if page["full_scans"] else ""
            verdict = f"[{mark(ok)}]  status {page['status']}{scans}"
            small_text = f"{small.get('cold_queries')} / {small.get('queries')}"
            ms = f"{page['cold_render_ms']:.0f} / {page['render_ms']:.0f} ms"
            say(f"  {name:<20}{small_text:>15}{f'{cold} / {warm}':>16}{ms:>16}   {verdict}")
        article = counts["main"]["pages"].get("article")
        if article:
            ms, target = article["render_ms_median"], TARGETS["article_ms"]
            figure(f"article page in process, {size['stories']:,} stories (median of 9)", f"{ms} ms",
                   f"<= {target} ms, same queries", ms <= target)  # fmt: skip

    if wanted("trending"):
        say("\n== Trending Now recompute (ranking the window's views, median of 15)")
        out = WORK / "trending.json"
        run_py(["bench/measure.py", "trending", "--json", str(out), "--redis", redis_url], env_for(main_db))
        results["trending"] = tr = json.loads(out.read_text())
        say(
            f"  {tr['views_total']:,} views in {tr['hourly_rows_total']:,} hourly rows "
            f"({tr['hourly_rows_in_window']:,} in the window)"
        )
        say(f"  {tr['rows_this_hour']:,} hourly rows in the current hour")
        for backend in ("database", "redis"):
            if backend in tr:
                ms = tr[backend]["median_ms"]
                target = f"< {TARGETS['trending_ms']} ms"
                figure(f"{backend}: recompute", f"{ms} ms", target, ms < TARGETS["trending_ms"])
                rollup = tr[backend]["rollup"]["median_ms"]
                figure(f"{backend}: hourly roll-up of finished hours", f"{rollup} ms", "(once an hour)", None)
                say(f"  {backend}: the same as summing the whole window: {tr[backend]['exact']}")
        if "same_ranking" in tr:
            say(f"  both backends give the same top {len(tr['database']['top'])}: {tr['same_ranking']}")

    # Serving.
    static_root = tempfile.mkdtemp(prefix="newsroom-bench-static-")
    paths = WORK / "paths"
    run_py(["bench/measure.py", "paths", "--json", str(paths)], env_for(main_db))
    template = WORK / "templates" / "bench" / "baseline.html"
    if not article_html:
        out = WORK / "pages-main.json"
        run_py(["bench/measure.py", "pages", "--json", str(out)], env_for(main_db))
        article_html = json.loads(out.read_text())["article_html"]
    template.parent.mkdir(parents=True, exist_ok=True)
    title = re.search(r"<title>.*?</title>", article_html, re.S).group(0)
    # The article page's HTML as written text, with one variable: a template of the same size, no database.
    body = article_html.replace(title, "{% endverbatim %}<title>{{ title }}</title>{% verbatim %}", 1)
    template.write_text("{% verbatim %}" + body + "{% endverbatim %}")
    results["page_bytes"] = {
        "article": len(article_html.encode()),
        "baseline_template": template.stat().st_size,
    }
    # wrk plays the load balancer: its beacons carry each reader's address in X-Forwarded-For.
    site_env = {
        **production_env(main_db, redis_url, static_root, "newsroom.settings"),
        "TRUSTED_PROXIES": "127.0.0.1",
    }
    drop_cache(redis_url)  # nothing left from an earlier run or an older version of the code
    run_py(["manage.py", "collectstatic", "--no-input", "-v0"], site_env)
    # Uncached figures come from a server whose page cache keeps nothing: a unique query string no longer
    # misses the cache (pages are keyed on the parameters they read, #17). Cards, the menu and Trending Now
    # are still remembered, as in production.
    uncached_env = {**site_env, "PAGE_CACHE_SECONDS": "0"}
    baseline_env = production_env(main_db, redis_url, static_root, "bench.baseline_settings")
    (paths / "baseline.txt").write_text("/\n")

    if wanted("pages"):
        say(f"\n== Pages through granian, 2 workers, 16 connections, {seconds} s each (wrk)")
        # The baseline runs beside the site and is measured again right before each page, so a ratio compares
        # two figures taken a few seconds apart (other work on the machine moves both the same way).
        baseline_server = Server("granian", baseline_env, WORK / "server-baseline.log", port=PORT + 1)
        server = Server("granian", site_env, WORK / "server-site.log")
        uncached_server = Server("granian", uncached_env, WORK / "server-uncached.log", port=PORT + 2)
        pages: dict = {}
        baselines = []
        try:
            wrk(baseline_server, paths / "baseline.txt", 2)  # warm up
            for page in [p for p in PAGES if (paths / f"{p}.txt").exists()]:
                every = paths / f"{page}.txt"
                hot = paths / f"{page}-hot.txt"  # the cached run asks for a few pages, all in the cache
                hot.write_text("\n".join(every.read_text().split()[:20]) + "\n")
                status = status_of(server.url(hot.read_text().split()[0]))
                if status != 200:
                    say(f"  {page}: answers {status}; skipped")
                    pages[page] = {"status": status}
                    continue
                drop_cached_pages(redis_url)
                wrk(uncached_server, every, 1, 16)  # warm up this page's code and data
                baseline = measured(baseline_server, paths / "baseline.txt", seconds)
                baselines.append(baseline)
                uncached = wrk(uncached_server, every, seconds, 16)
                for path in hot.read_text().split():  # fill the page cache
                    status_of(server.url(path))
                cached = measured(server, hot, seconds)
                pages[page] = {"baseline": baseline, "uncached": uncached, "cached": cached}
            memory = server.memory_mb()
            baseline_memory = baseline_server.memory_mb()
        finally:
            server.stop()
            uncached_server.stop()
            baseline_server.stop()
        results["pages"], results["memory_mb"] = pages, memory
        results["baseline"] = {
            "rps_runs": [b["rps"] for b in baselines],
            "rps": round(sum(b["rps"] for b in baselines) / max(1, len(baselines)), 1),
            "p99_ms_max": max((b["p99_ms"] for b in baselines), default=None),
            "memory_mb": baseline_memory,
        }
        say(
            f"  baseline (bare view, page-sized template, no database): "
            f"{', '.join(f'{b:.0f}' for b in results['baseline']['rps_runs'])} req/s, "
            "measured before each page"
        )
        say(
            f"  {'page':<9}{'mode':<10}{'req/s':>8}{'base':>7}{'ratio':>7}{'p50 ms':>9}{'p99 ms':>9}"
            f"{'errors':>7}   targets"
        )
        for page, result in pages.items():
            for mode in ("uncached", "cached"):
                if mode not in result:
                    continue
                r = result[mode]
                base = result["baseline"]["rps"]
                ratio = r["rps"] / base
                r["ratio"] = round(ratio, 3)
                need = TARGETS["cached_ratio"] if mode == "cached" else TARGETS["uncached_ratio"]
                ratio_applies = mode == "cached" or page in ("article", "section", "home")
                ok = (
                    r["requests"] > 0
                    and (not ratio_applies or ratio >= need)
                    and r["p99_ms"] < TARGETS["p99_ms"]
                    and r["errors"] == 0
                )
                target = f"ratio >= {need:.2f}, " if ratio_applies else ""
                say(
                    f"  {page:<9}{mode:<10}{r['rps']:>8.0f}{base:>7.0f}{ratio:>7.2f}"
                    f"{r['p50_ms']!s:>9}{r['p99_ms']!s:>9}{r['errors']:>7}"
                    f"   {target}p99 < {TARGETS['p99_ms']} ms, 0 errors [{mark(ok)}]"
                )
                if "cpu_ms" in r:  # worker CPU per request: what a busy machine moves least
                    r["cpu_ratio"] = round(result["baseline"]["cpu_ms"] / r["cpu_ms"], 3)
                    say(
                        f"  {'':<9}{'':<10}worker CPU {r['cpu_ms']} ms/request, baseline "
                        f"{result['baseline']['cpu_ms']} ms: CPU ratio {r['cpu_ratio']:.2f}"
                    )
        figure(
            "memory per worker: private / peak RSS",
            ", ".join(f"{mb.get('RssAnon')} / {mb.get('VmHWM')} MB" for mb in memory.values()),
            "(reported)",
            None,
        )

    if wanted("beacon"):
        say(f"\n== The view beacon through granian, 2 workers, 16 connections, {seconds} s (wrk)")
        results["beacon"] = beacon = measure_beacon(site_env, paths, seconds)
        figure("beacon (every view counted, Redis)", f"{beacon['rps']:.0f} req/s, {beacon['errors']} errors",
               f">= {TARGETS['beacon_rps']} req/s",
               beacon["rps"] >= TARGETS["beacon_rps"] and beacon["errors"] == 0)  # fmt: skip
        cpu_ms = beacon["cpu_ms_per_request"]
        say(
            f"  views counted: {beacon['counted']:,} of {beacon['requests']:,} beacons; "
            f"{cpu_ms} ms of worker CPU each ({1000 / cpu_ms:.0f} beacons per CPU-second)"
        )

    if wanted("servers"):
        say(f"\n== WSGI servers on our real pages (2 workers, 16 connections, {seconds} s)")
        results["servers"] = compare_servers(site_env, paths, seconds, redis_url)

    if wanted("load"):
        say(f"\n== Load test: {size['load_seconds']} s at 64 connections, a mix of pages (granian)")
        results["load"] = load_test(site_env, paths, size["load_seconds"])

    if wanted("churn"):
        say(f"\n== Editorial churn: the news mix, {seconds} s without and {seconds} s with saves (granian)")
        results["churn"] = churn_test(site_env, paths, seconds)

    if wanted("varnish"):
        say(f"\n== Varnish in front: the news mix, {seconds} s through Varnish, {seconds} s to granian alone")
        results["varnish"] = varnish_test(site_env, paths, seconds)

    if wanted("import"):
        say("\n== Import rates (bench/import_bench.py)")
        results["import"] = import_rates([10_000] if args.size == "small" else [10_000, 100_000])

    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=1, default=str))  # kept if a later step fails
    if wanted("faults"):
        say("\n== Faults")
        from bench import faults

        results["faults"] = faults.run_all(WORK, static_root)

    shutil.rmtree(static_root, ignore_errors=True)
    results["seconds"] = round(time.monotonic() - began)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=1, default=str))
    say(
        f"\nAll figures in {args.json}; "
        f"the run took {results['seconds'] // 60} min {results['seconds'] % 60} s."
    )


def measure_beacon(site_env: dict, paths: Path, seconds: int) -> dict:
    """Beacons as a browser sends them, each from a reader of its own, so every one is counted."""
    server = Server("granian", site_env, WORK / "server-beacon.log")
    try:
        wrk(server, paths / "beacon.txt", 1, 16, "beacon")  # warm up
        before, cpu = views_counted(site_env["REDIS_URL"]), server.cpu_seconds()
        beacon = wrk(server, paths / "beacon.txt", seconds, 16, "beacon")
        beacon["counted"] = views_counted(site_env["REDIS_URL"]) - before
        # On a busy machine req/s moves with the neighbours; the workers' CPU time per beacon does not.
        beacon["cpu_ms_per_request"] = round(
            1000 * (server.cpu_seconds() - cpu) / max(1, beacon["requests"]), 3
        )
    finally:
        server.stop()
    return beacon


def views_counted(redis_url: str) -> int:
    """Views in the Redis backend's current hour (the beacon's counts)."""
    import redis

    client = redis.Redis.from_url(redis_url)
    key = f"newsroom:trending:h:{int(time.time() // 3600)}"
    return int(sum(score for _member, score in client.zscan_iter(key)))


def compare_servers(env: dict, paths: Path, seconds: int, redis_url: str) -> dict:
    compared = {}
    for kind in SERVERS:
        if not Path(SERVERS[kind](PORT, 2)[0]).exists():
            say(f"  {kind}: not installed (pip install -e '.[bench]'); skipped")
            continue
        server = Server(kind, {**env, "PAGE_CACHE_SECONDS": "0"}, WORK / f"server-{kind}.log")
        try:
            wrk(server, paths / "article.txt", 1, 16)
            article = wrk(server, paths / "article.txt", seconds, 16)
        finally:
            server.stop()
        server = Server(kind, env, WORK / f"server-{kind}.log")
        try:
            drop_cached_pages(redis_url)
            home = wrk(server, paths / "home.txt", seconds)
        finally:
            server.stop()
        compared[kind] = {"article_uncached": article, "home_cached": home}
        say(
            f"  {kind:<18} article uncached {article['rps']:>6.0f} req/s p99 {article['p99_ms']!s:>7} ms · "
            f"home cached {home['rps']:>6.0f} req/s p99 {home['p99_ms']!s:>7} ms · "
            f"errors {article['errors'] + home['errors']}"
        )
    if compared:
        best = max(
            compared, key=lambda k: compared[k]["article_uncached"]["rps"] + compared[k]["home_cached"]["rps"]
        )
        say(f"  fastest here: {best}")
        compared["fastest"] = best
    return compared


def news_mix(paths: Path) -> Path:
    """A file of paths shaped like a news site's traffic (see docs/benchmarks.md, "load test")."""
    mix = paths / "mix.txt"
    # Readers crowd onto a few pages (home, the day's top stories, the sections) and spread thinly over the
    # rest: about 340 distinct pages, 30% of the requests on the long tail of stories, tags and authors.
    lines = []
    for page, first, weight in (
        ("home", 1, 100),
        ("article", 30, 15),
        ("section", 20, 5),
        ("search", 8, 1),
    ):
        file = paths / f"{page}.txt"
        if file.exists():
            lines += file.read_text().split()[:first] * weight
    for page, start, stop in (("article", 30, 230), ("tag", 0, 50), ("author", 0, 30)):
        lines += (paths / f"{page}.txt").read_text().split()[start:stop]
    mix.write_text("\n".join(lines) + "\n")
    return mix


def load_test(env: dict, paths: Path, seconds: int) -> dict:
    mix = news_mix(paths)
    server = Server("granian", env, WORK / "server-load.log")
    try:
        result = wrk(server, mix, seconds, 64, timeout=10)
    finally:
        server.stop()
    server_errors = len(
        re.findall(r"Internal Server Error|Traceback", (WORK / "server-load.log").read_text())
    )
    result["server_errors_logged"] = server_errors
    ok = result["errors"] == 0 and server_errors == 0
    figure("requests", f"{result['requests']} ({result['rps']:.0f}/s)", "(reported)", None)
    figure("p50 / p99", f"{result['p50_ms']} / {result['p99_ms']} ms", "(reported)", None)
    figure("errors, non-2xx/3xx, 5xx logged",
           f"{result['socket_errors']}, {result['bad_status']}, {server_errors}",
           "0, 0, 0", ok)  # fmt: skip
    return result


def churn_test(env: dict, paths: Path, seconds: int) -> dict:
    """The news mix at 16 connections with no saves, then while bench/churn.py saves (a draft every second, an
    old published story every 5 s), on the same server; the second as a share of the first."""
    mix = news_mix(paths)
    server = Server("granian", env, WORK / "server-churn.log")
    try:
        for path in dict.fromkeys(mix.read_text().split()):  # every page of the mix in the cache
            status_of(server.url(path))
        wrk(server, mix, 2, 16)  # warm up
        quiet = wrk(server, mix, seconds, 16)
        saver = subprocess.Popen(
            [PY, str(BASE_DIR / "bench" / "churn.py")],
            env=env,
            cwd=BASE_DIR,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            saver.stdout.readline()  # "saving": Django is up and the first save is next
            busy = wrk(server, mix, seconds, 16)
        finally:
            saver.terminate()
            saves = saver.communicate(timeout=30)[0].strip()
    finally:
        server.stop()
    ratio = round(busy["rps"] / quiet["rps"], 2) if quiet["rps"] else 0.0
    figure("no saves", f"{quiet['rps']:.0f} req/s, p99 {quiet['p99_ms']} ms", "(reported)", None)
    figure(f"while saving ({saves})", f"{busy['rps']:.0f} req/s, p99 {busy['p99_ms']} ms", "(reported)", None)
    target = f">= {TARGETS['churn_ratio']}, < {TARGETS['p99_ms']} ms"
    met = ratio >= TARGETS["churn_ratio"] and (busy["p99_ms"] or 0) < TARGETS["p99_ms"]
    figure("ratio, p99", f"{ratio}, {busy['p99_ms']} ms", target, met)
    return {"quiet": quiet, "busy": busy, "ratio": ratio, "saves": saves}


class Varnish:
    """varnishd with newsroom/varnish.vcl in front of `backend_port`, on a port of its own; wrk's target."""

    def __init__(self, backend_port: int, port: int, cpus: str = ""):
        self.port = port
        if VARNISH_DIR:
            Path(VARNISH_DIR).mkdir(parents=True, exist_ok=True)
            self.dir = Path(tempfile.mkdtemp(prefix="run-", dir=VARNISH_DIR))
        else:
            self.dir = Path(tempfile.mkdtemp(prefix="newsroom-bench-varnish-"))
        vcl = (
            (BASE_DIR / "newsroom" / "varnish.vcl")
            .read_text()
            .replace('.port = "8000";', f'.port = "{backend_port}";')
        )
        (self.dir / "varnish.vcl").write_text(vcl)
        command = on_cpus([
            shutil.which("varnishd") or "/usr/sbin/varnishd", "-a", f"127.0.0.1:{port}",
            "-f", str(self.dir / "varnish.vcl"), "-n", str(self.dir / "state"), "-s", "malloc,256m",
            "-P", str(self.dir / "varnishd.pid"), "-j", "none",
        ], cpus)  # fmt: skip
        subprocess.run(command, check=True, capture_output=True, timeout=60)
        deadline = time.monotonic() + 30
        while status_of(self.url("/")) != 200 and time.monotonic() < deadline:
            time.sleep(0.2)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def cpu_seconds(self) -> float:
        """CPU time of varnishd: its manager and the child that serves."""
        manager = int((self.dir / "varnishd.pid").read_text())
        return cpu_seconds([manager, *descendants(manager)])

    def stop(self) -> None:
        pid = self.dir / "varnishd.pid"
        if pid.exists():
            manager = int(pid.read_text())
            os.kill(manager, signal.SIGTERM)
            deadline = time.monotonic() + 15  # gone, and its port free, before another starts on it
            while Path(f"/proc/{manager}").exists() and time.monotonic() < deadline:
                time.sleep(0.1)
        shutil.rmtree(self.dir, ignore_errors=True)


def varnish_test(env: dict, paths: Path, seconds: int) -> dict:
    """The news mix through Varnish (purged by the app) against the same server alone, both warm: first as
    everything else here runs (both cores shared by the server and wrk), then each server on a core of its
    own with wrk on the other, which is how the ratio is judged (see `pinned`)."""
    if not (shutil.which("varnishd") or Path("/usr/sbin/varnishd").exists()):
        say("  varnishd is not installed (apt-get install varnish varnish-modules): skipped")
        return {"missing": True}
    mix = news_mix(paths)
    env = {**env, "HTTP_CACHE_PURGE": "varnish", "VARNISH_URLS": f"http://127.0.0.1:{VARNISH_PORT}"}
    target = TARGETS["varnish_ratio"]
    results = {}
    # The load generator's CPU grows with the rate it drives: sharing the cores, it takes a third of the
    # machine from Varnish at 30,000 req/s and a tenth from granian at 7,000, so requests per second on
    # shared cores measure wrk as well. Pinned, each server has one core and wrk the other; granian gets
    # one worker, as one core wants.
    pinned = shutil.which("taskset") and (os.cpu_count() or 1) >= 2
    runs = [("shared", 2, "", "")] + ([("pinned", 1, "1", "0")] if pinned else [])
    for name, workers, server_cpus, wrk_cpus in runs:
        alone, behind = alone_and_behind(env, mix, seconds, workers, server_cpus, wrk_cpus)
        ratio = round(behind["rps"] / alone["rps"], 2) if alone["rps"] else 0.0
        cpu_ratio = round(alone["cpu_ms"] / behind["cpu_ms"], 2) if behind["cpu_ms"] else 0.0
        judged = name == runs[-1][0]
        say(
            "  both cores shared by the server and wrk; granian with 2 workers:"
            if name == "shared"
            else "  each server on core 1 alone, wrk on core 0; granian with 1 worker:"
        )
        figure(
            f"granian alone ({name})",
            f"{alone['rps']:.0f} req/s, p99 {alone['p99_ms']} ms",
            "(reported)",
            None,
        )
        through = f"{behind['rps']:.0f} req/s, p99 {behind['p99_ms']} ms, {behind['errors']} errors"
        figure(f"through Varnish ({name})", through, "(reported)", None)
        verdict = ratio >= target and behind["errors"] == 0 if judged else None
        figure(f"ratio ({name})", f"{ratio}", f">= {target}" if judged else "(reported)", verdict)
        cpu = f"{alone['cpu_ms'] * 1000:.0f} µs alone, {behind['cpu_ms'] * 1000:.0f} µs Varnish: {cpu_ratio}"
        figure(f"CPU per request ({name})", cpu, "(reported)", None)
        figure(f"wrk's own CPU per request ({name})", f"{alone['wrk_cpu_ms'] * 1000:.0f} µs alone, "
               f"{behind['wrk_cpu_ms'] * 1000:.0f} µs Varnish", "(reported)", None)  # fmt: skip
        results[name] = {"alone": alone, "varnish": behind, "ratio": ratio, "cpu_ratio": cpu_ratio}
    results["ratio"] = results[runs[-1][0]]["ratio"]
    return results


def alone_and_behind(env: dict, mix: Path, seconds: int, workers: int, server_cpus: str, wrk_cpus: str):
    """The mix measured on granian alone, then through a fresh Varnish in front of it (both warm)."""
    server = Server("granian", env, WORK / "server-varnish.log", workers=workers, cpus=server_cpus)
    front = None
    try:
        front = Varnish(PORT, VARNISH_PORT, cpus=server_cpus)
        for path in dict.fromkeys(mix.read_text().split()):  # every page of the mix in both caches
            status_of(front.url(path))
        wrk(server, mix, 2, 16, cpus=wrk_cpus)  # warm up
        alone = measured(server, mix, seconds, cpus=wrk_cpus)
        wrk(front, mix, 2, 16, cpus=wrk_cpus)
        behind = measured(front, mix, seconds, cpus=wrk_cpus)
    finally:
        if front is not None:
            front.stop()
        server.stop()
    return alone, behind


def import_rates(sizes: list[int]) -> dict:
    """The importer's figures, from bench/import_bench.py (stories/s and peak memory per file)."""
    script = BASE_DIR / "bench" / "import_bench.py"
    if not script.exists():
        say("  bench/import_bench.py does not exist yet: no import figures")
        return {"missing": True}
    out = WORK / "import.json"
    command = [str(script), "--sizes", *map(str, sizes), "--json", str(out)]
    try:
        run_py(command, env_for(""), timeout=3600, stdout=subprocess.DEVNULL)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
        say(f"  bench/import_bench.py failed: {error}")
        return {"failed": str(error)}
    figures = json.loads(out.read_text())
    rate, peak = TARGETS["import_per_second"], TARGETS["import_peak_mb"]
    for row in figures:
        wanted = row.get("target_per_second", rate)  # saved HTML pages have a target of their own
        figure(
            f"import {row['file']}",
            f"{row['stories_per_second']} stories/s, {row['peak_rss_mb']} MB",
            f">= {wanted}/s, < {peak} MB",
            row["stories_per_second"] >= wanted and row["peak_rss_mb"] < peak,
        )
    return {"files": figures}


if __name__ == "__main__":
    main()
