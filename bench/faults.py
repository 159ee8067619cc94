"""Fault tests for `make bench`: the site keeps answering, or recovers by itself, when a service hiccups.

    python bench/faults.py            # both; or: python bench/faults.py postgres | redis

PostgreSQL: a cluster of the benchmark's own (15/bench on port 5434, created on first use; the main server on
5432 is never touched) is restarted while readers load uncached pages. The same workers must answer again
within seconds (persistent connections with health checks, connect_timeout).

Redis: a Redis of its own on port 6391 is shut down while readers load pages, then started again. Every page
must still answer 200 with Trending Now (from the database, or the latest stories), and each worker logs one
warning for the outage, not one per request.
"""

import http.client
import json
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.run import WORK, Server, env_for, production_env, redis_up, run_py, say  # noqa: E402

PG_VERSION, PG_CLUSTER, PG_PORT = "15", "bench", 5434
FAULT_REDIS_PORT = 6391
PORT = 8320


class Readers:
    """A few threads reading pages over keep-alive connections, recording (time, status, has Trending Now)."""

    def __init__(self, port: int, paths: list[str], threads: int = 4):
        self.port, self.paths = port, paths
        self.records: list[tuple[float, int, bool]] = []
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.read, args=(i,), daemon=True) for i in range(threads)]
        self.started = time.monotonic()
        for thread in self.threads:
            thread.start()

    def read(self, n: int) -> None:
        rng = random.Random(n)
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        while not self.stopping.is_set():
            path = rng.choice(self.paths)
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                body = response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                status, body = 0, b""
            self.records.append((time.monotonic() - self.started, status, b"Trending Now" in body))
            time.sleep(0.01)

    def now(self) -> float:
        return time.monotonic() - self.started

    def stop(self) -> list[tuple[float, int, bool]]:
        self.stopping.set()
        for thread in self.threads:
            thread.join(15)
        return sorted(self.records)


def pg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, PG_CLUSTER, *args],
                          capture_output=True, text=True)  # fmt: skip


def ensure_cluster() -> str:
    listed = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True).stdout.split("\n")
    if not any(line.split()[:2] == [PG_VERSION, PG_CLUSTER] for line in listed if line.strip()):
        subprocess.run(
            ["pg_createcluster", PG_VERSION, PG_CLUSTER, "-p", str(PG_PORT), "--",
             "--auth-local=trust", "--auth-host=trust"],
            check=True, capture_output=True,
        )  # fmt: skip
    if pg("status").returncode != 0:
        started = pg("start")
        if started.returncode != 0:
            raise SystemExit(f"could not start PostgreSQL {PG_VERSION}/{PG_CLUSTER}: {started.stderr}")
    url = f"postgres://postgres@127.0.0.1:{PG_PORT}/newsroom_fault"
    import psycopg2

    for _ in range(30):
        try:
            server = psycopg2.connect(f"postgres://postgres@127.0.0.1:{PG_PORT}/postgres")
            break
        except psycopg2.OperationalError:
            time.sleep(0.5)
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = 'newsroom_fault'")
        if not cursor.fetchone():
            cursor.execute('CREATE DATABASE "newsroom_fault"')
    server.close()
    return url


def paths_for(database_url: str) -> list[str]:
    out = WORK / "fault-paths"
    run_py(["bench/measure.py", "paths", "--json", str(out)], env_for(database_url))
    return (out / "article.txt").read_text().split()[:200] + (out / "section.txt").read_text().split()


def postgres_restart(static_root: str) -> dict:
    url = ensure_cluster()
    run_py(
        ["bench/generate.py", "--stories", "1000", "--events", "10000"],
        env_for(url),
        stdout=subprocess.DEVNULL,
    )
    paths = paths_for(url)
    # Every read reaches the database: the page cache keeps nothing.
    env = {**production_env(url, "", static_root, "newsroom.settings"), "PAGE_CACHE_SECONDS": "0"}
    log = WORK / "server-fault-postgres.log"
    server = Server("granian", env, log, port=PORT)
    try:
        workers_before = server.workers()
        readers = Readers(PORT, paths)
        time.sleep(3)
        restart_began = readers.now()
        restarted = pg("restart", "-m", "fast")
        restart_done = readers.now()
        time.sleep(12)
        records = readers.stop()
        workers_after = server.workers()
    finally:
        server.stop()
    failed = [t for t, status, _ in records if status != 200]
    before = [t for t in failed if t < restart_began]
    last_failure = max(failed) if failed else None
    recovered_after = round(max(0.0, last_failure - restart_done), 2) if failed else 0.0
    result = {
        "restart_ok": restarted.returncode == 0,
        "restart_seconds": round(restart_done - restart_began, 2),
        "requests": len(records),
        "failed_requests": len(failed),
        "failed_before_restart": len(before),
        "answering_again_seconds_after_restart": recovered_after,
        "ok_in_last_5_seconds": all(s == 200 for t, s, _ in records if t > records[-1][0] - 5),
        "same_workers": workers_before == workers_after,
    }
    ok = (
        result["restart_ok"]
        and not before
        and recovered_after < 5
        and result["ok_in_last_5_seconds"]
        and result["same_workers"]
    )
    result["ok"] = ok
    say(
        f"  PostgreSQL restarted ({result['restart_seconds']} s): "
        f"{len(failed)} of {len(records)} requests failed, "
        f"all answering {recovered_after} s after the restart, same workers: {result['same_workers']}  "
        f"target: recovers by itself within seconds [{'met' if ok else 'NOT MET'}]"
    )
    return result


def redis_stop(static_root: str) -> dict:
    redis_url = f"redis://127.0.0.1:{FAULT_REDIS_PORT}/0"

    def start() -> None:
        subprocess.run(
            ["redis-server", "--port", str(FAULT_REDIS_PORT), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--daemonize", "yes", "--dir", str(WORK),
             "--logfile", str(WORK / "redis-fault.log")],
            check=True,
        )  # fmt: skip
        for _ in range(50):
            if redis_up(FAULT_REDIS_PORT):
                return
            time.sleep(0.1)

    start()
    database_url = f"sqlite:///{WORK / 'newsroom-fault.sqlite3'}"
    if not (WORK / "newsroom-fault.sqlite3").exists():
        run_py(["bench/generate.py", "--stories", "1000"], env_for(database_url), stdout=subprocess.DEVNULL)
    paths = paths_for(database_url)
    env = production_env(database_url, redis_url, static_root, "newsroom.settings")
    log = WORK / "server-fault-redis.log"
    server = Server("granian", env, log, port=PORT)
    try:
        workers = len(server.workers())
        readers = Readers(PORT, paths)
        time.sleep(3)
        stopped_at = readers.now()
        subprocess.run(["redis-cli", "-p", str(FAULT_REDIS_PORT), "shutdown", "nosave"], capture_output=True)
        time.sleep(10)
        started_at = readers.now()
        start()
        time.sleep(8)
        records = readers.stop()
    finally:
        server.stop()
        subprocess.run(["redis-cli", "-p", str(FAULT_REDIS_PORT), "shutdown", "nosave"], capture_output=True)
    during = [(s, trending) for t, s, trending in records if stopped_at <= t < started_at]
    text = log.read_text()
    warnings = text.count("Redis is unavailable")
    result = {
        "requests": len(records),
        "requests_while_down": len(during),
        "ok_while_down": sum(1 for s, trending in during if s == 200 and trending),
        "failed": sum(1 for _, s, _ in records if s != 200),
        "workers": workers,
        "warnings_logged": warnings,
        "recovered_logged": text.count("Redis answers again"),
    }
    ok = result["failed"] == 0 and result["ok_while_down"] == len(during) > 0 and 0 < warnings <= workers
    result["ok"] = ok
    say(
        f"  Redis stopped for 10 s: {result['ok_while_down']} of {len(during)} pages "
        f"answered 200 with Trending Now, "
        f"{result['failed']} failed in all; warnings logged: {warnings} ({workers} workers), "
        f"'answers again' logged: {result['recovered_logged']}  target: pages render, one warning per worker "
        f"[{'met' if ok else 'NOT MET'}]"
    )
    return result


def run_all(work: Path, static_root: str) -> dict:
    results = {}
    for name, test in (("postgres_restart", postgres_restart), ("redis_stop", redis_stop)):
        try:
            results[name] = test(static_root)
        except (OSError, subprocess.SubprocessError, SystemExit) as error:  # e.g. no pg_createcluster here
            say(f"  {name}: could not run ({error}) [NOT MET]")
            results[name] = {"ok": False, "error": str(error)}
    return results


if __name__ == "__main__":
    import tempfile

    WORK.mkdir(parents=True, exist_ok=True)
    root = tempfile.mkdtemp(prefix="newsroom-bench-static-")
    run_py(
        ["manage.py", "collectstatic", "--no-input", "-v0"], production_env("", "", root, "newsroom.settings")
    )
    which = sys.argv[1:] or ["postgres", "redis"]
    results = {}
    if "postgres" in which:
        results["postgres_restart"] = postgres_restart(root)
    if "redis" in which:
        results["redis_stop"] = redis_stop(root)
    (WORK / "faults.json").write_text(json.dumps(results, indent=1))
