import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, **env):
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.settings", **env}
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests, warned about by --deploy
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_without_warnings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="news.example.com",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DEBUG="0", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_sqlite_connections_use_wal_and_read_through_mmap(tmp_path):
    script = (
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    print(*(c.execute(f'PRAGMA {name}').fetchone()[0] for name in ('journal_mode', 'mmap_size')))\n"
    )
    database = f"sqlite:///{tmp_path / 'site.sqlite3'}"
    result = run_manage("shell", "--no-imports", "-c", script, DATABASE_URL=database)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", str(2**30)]
    result = run_manage("shell", "--no-imports", "-c", script, DATABASE_URL=database, SQLITE_MMAP_BYTES="0")
    assert result.stdout.split() == ["wal", "0"]
