"""Measure import_articles: stories per second and peak memory, each file into a fresh SQLite database.

    python bench/import_bench.py [DATA_DIR] [--sizes 10000 100000] [--html-pages 1000] [--json FILE]

Inputs come from bench/import_data.py (written into DATA_DIR if missing). Each import runs in its own
process; its peak memory is that child's ru_maxrss (os.wait4), so nothing of this script is counted.
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


def bench(path: Path, python: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="newsroom-import-bench-") as folder:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3",
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
        status, seconds, cpu, peak_mb, output = run(command, env)
    match = SUMMARY.search(output)
    if status or not match:
        sys.exit(f"import of {path} failed (exit {status}):\n{output[-2000:]}")
    stories = int(match.group(1)) + int(match.group(2)) + int(match.group(3))
    return {
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=ROOT / "var" / "bench-import")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--json", type=Path, help="Also write the figures to this file.")
    parser.add_argument("--html-pages", type=int, default=1000, help="Saved HTML pages to import (0: none).")
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
    for size in args.sizes:
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
    if args.html_pages:
        results.append(bench_html_pages(args.data, args.html_pages, python))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
