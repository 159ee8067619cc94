import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_ensure_admin_creates_local_accounts_once_and_prints_logins(settings, tmp_path, capsys):
    settings.DEBUG = True
    settings.VAR_DIR = tmp_path
    call_command("ensure_admin")
    first = capsys.readouterr().out
    call_command("ensure_admin")
    assert capsys.readouterr().out == first
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="writer").groups.get().name == "Writer"
    assert User.objects.get(username="editor").groups.get().name == "Editor"
    lines = (tmp_path / "admin-login.txt").read_text().split("\n")
    username, password = lines[0].split()
    assert f"user: admin   password: {password}" in first
    assert User.objects.get(username="admin").check_password(password)
    assert oct((tmp_path / "admin-login.txt").stat().st_mode)[-3:] == "600"
    assert "Admin: http://127.0.0.1:8000/admin/" in first
    call_command("ensure_admin", address="127.0.0.1:8124")  # `make run PORT=8124`
    assert "Admin: http://127.0.0.1:8124/admin/" in capsys.readouterr().out


def test_ensure_admin_refuses_to_run_in_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("ensure_admin")
