"""Measure import_articles: stories per second and peak memory, each file into a fresh SQLite database.

    python bench/import_bench.py [DATA_DIR] [--sizes 10000 100000] [--html-pages 1000] [--json FILE]
                                   [--postgres URL] [--only-photos]

Inputs come from bench/import_data.py (written into DATA_DIR if missing). Each import runs in its own
process; its peak memory is that child's ru_maxrss (os.wait4), so nothing of this script is counted.

Shared photos (issue #16): 10,000 posts whose featured images are 200 pictures, imported with --media-dir;
targets 300 stories/s, under 300 MB, 200 Photo rows; then the background worker makes the renditions
(`db_worker --batch`) and its photos/s is printed. With --postgres URL (a database this script may drop and
create) the same import runs into PostgreSQL too.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUMMARY = re.compile(r"imported (\d+), updated (\d+), unchanged (\d+), skipped (\d+), failed (\d+)")


def run(command: list[str], env: dict) -> tuple[int, float, float, float, str]:
    """Return (exit status, wall seconds, CPU seconds, peak RSS in MB, output) of one child process."""
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = child.stdout.read().decode()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return child.returncode, time.perf_counter() - started, cpu, usage.ru_maxrss / 1024, output


SHARED_TARGETS = {"stories_per_second": 300, "peak_rss_mb": 300, "photos": 200}


def fresh_postgres(url: str) -> None:
    """Drop and create the database the URL names (connecting to the server's `postgres` database)."""
    from urllib.parse import urlsplit

    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    connection = psycopg2.connect(url.replace(parts.path, "/postgres", 1))
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def bench(path: Path, python: str, *, media: Path | None = None, database_url: str = "") -> dict:
    with tempfile.TemporaryDirectory(prefix="newsroom-import-bench-") as folder:
        if database_url:
            fresh_postgres(database_url)
        env = {
            **os.environ,
            "DATABASE_URL": database_url or f"sqlite:///{folder}/bench.sqlite3",
            "MEDIA_ROOT": f"{folder}/media",
            "REDIS_URL": "",
            # ru_maxrss counts every page of the database file a process read through mmap (the kernel's page
            # cache, not the importer's memory: 440-480 MB at 100,000 stories); without it, the peak is the
            # importer's own. Imports write; mmap speeds up reads.
            "SQLITE_MMAP_BYTES": "0",
            # as in production: with DEBUG on, Django also formats and keeps every query for the debug toolbar
            "DEBUG": "0",
            "SECRET_KEY": "import-bench",
            "ALLOWED_HOSTS": "localhost",
        }
        status, _, _, _, output = run([python, "manage.py", "migrate", "--no-input", "-v0"], env)
        if status:
            sys.exit(f"migrate failed:\n{output}")
        load_before = os.getloadavg()[0]
        command = [python, "manage.py", "import_articles", str(path), "-v0"]
        if media:
            command += ["--media-dir", str(media)]
        status, seconds, cpu, peak_mb, output = run(command, env)
        match = SUMMARY.search(output)
        if status or not match:
            sys.exit(f"import of {path} failed (exit {status}):\n{output[-2000:]}")
        stories = int(match.group(1)) + int(match.group(2)) + int(match.group(3))
        result = {
            "database": "postgresql" if database_url else "sqlite",
            "file": path.name,
            "stories": stories,
            "seconds": round(seconds, 1),
            "stories_per_second": round(stories / seconds),
            "peak_rss_mb": round(peak_mb, 1),
            # CPU time of the import process: what the figure would be on an otherwise idle machine
            "cpu_seconds": round(cpu, 1),
            "stories_per_cpu_second": round(stories / cpu),
            "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        }
        if media:
            result["photos"] = count_photos(python, env)
            print_shared(result)
            result.update(run_worker(python, env, result["photos"]))
            print_worker(result)
    return result


def count_photos(python: str, env: dict) -> int:
    code = "from articles.models import Photo; print(Photo.objects.count())"
    status, _, _, _, output = run([python, "manage.py", "shell", "-v0", "-c", code], env)
    if status:
        sys.exit(f"counting photos failed:\n{output}")
    return int(output.strip().splitlines()[-1])


def run_worker(python: str, env: dict, photos: int) -> dict:
    """The background worker, from a full queue to an empty one: how fast it makes renditions."""
    command = [python, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--interval", "0", "-v0"]
    status, seconds, cpu, peak_mb, output = run(command, {**env, "DEBUG": "0"})
    if status:
        sys.exit(f"the worker failed (exit {status}):\n{output[-2000:]}")
    return {
        "worker_seconds": round(seconds, 1),
        "worker_photos_per_second": round(photos / seconds, 2),
        "worker_photos_per_cpu_second": round(photos / cpu, 2),
        "worker_peak_rss_mb": round(peak_mb, 1),
    }


# Stories (or pages) a second each import must reach (#16); printed beside the figures.
TARGETS = {"jsonl": 1000, "xml": 1000, "html": 100}


def beside_target(result: dict, kind: str) -> str:
    target = result["target_per_second"] = TARGETS[kind]
    verdict = "met" if result["stories_per_second"] >= target else "MISSED"
    return f"target >= {target}/s: {verdict}"


def bench_html_pages(data: Path, pages: int, python: str) -> dict:
    """Import a saved site of `pages` article pages (written by import_data.py --html-pages)."""
    result = bench(data / f"html-pages-{pages}", python)
    print(
        f"{'saved HTML pages':>22}: {result['stories']} pages in {result['seconds']} s = "
        f"{result['stories_per_second']} pages/s ({result['stories_per_cpu_second']} per CPU second), "
        f"{beside_target(result, 'html')}, peak memory {result['peak_rss_mb']} MB, "
        f"load average {result['load_average']}",
        flush=True,
    )
    return result


def print_shared(result: dict) -> None:
    t = SHARED_TARGETS
    print(
        f"{result['file']} ({result['database']}): {result['stories']} stories in {result['seconds']} s = "
        f"{result['stories_per_second']} stories/s (target >= {t['stories_per_second']}; "
        f"{result['stories_per_cpu_second']} per CPU second), peak memory {result['peak_rss_mb']} MB "
        f"(target < {t['peak_rss_mb']}), {result['photos']} Photo rows (target {t['photos']}), "
        f"load average {result['load_average']}",
        flush=True,
    )


def print_worker(result: dict) -> None:
    print(
        f"  then the background worker: {result['photos']} photos' renditions in {result['worker_seconds']} s"
        f" = {result['worker_photos_per_second']} photos/s"
        f" ({result['worker_photos_per_cpu_second']} per CPU second),"
        f" peak memory {result['worker_peak_rss_mb']} MB",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=ROOT / "var" / "bench-import")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--json", type=Path, help="Also write the figures to this file.")
    parser.add_argument("--html-pages", type=int, default=1000, help="Saved HTML pages to import (0: none).")
    parser.add_argument("--postgres", default="", help="Also import the shared photos into this database.")
    parser.add_argument("--only-photos", action="store_true", help="Only the shared-photos import.")
    args = parser.parse_args()
    python = sys.executable
    subprocess.run(
        [
            python,
            str(ROOT / "bench" / "import_data.py"),
            str(args.data),
            "--sizes",
            *map(str, args.sizes),
            "--html-pages",
            str(args.html_pages),
        ],
        check=True,
    )
    results = []
    for size in [] if args.only_photos else args.sizes:
        for kind in ("jsonl", "xml"):
            result = bench(args.data / f"stories-{size}.{kind}", python)
            results.append(result)
            print(
                f"{result['file']:>22}: {result['stories']} stories in {result['seconds']} s = "
                f"{result['stories_per_second']} stories/s "
                f"({result['stories_per_cpu_second']} per CPU second), {beside_target(result, kind)}, "
                f"peak memory {result['peak_rss_mb']} MB, load average {result['load_average']}",
                flush=True,
            )
    if args.html_pages and not args.only_photos:
        results.append(bench_html_pages(args.data, args.html_pages, python))
    sys.path.insert(0, str(ROOT))
    from bench.import_data import write_shared_photos

    path, media = write_shared_photos(args.data)
    shared = [bench(path, python, media=media)]
    if args.postgres:
        shared.append(bench(path, python, media=media, database_url=args.postgres))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")  # the rows bench/run.py reads
        args.json.with_name(args.json.stem + "-shared-photos.json").write_text(
            json.dumps(shared, indent=2) + "\n"
        )


if __name__ == "__main__":
    main()
