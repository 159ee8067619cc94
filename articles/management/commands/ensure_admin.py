"""Make sure a local admin account exists and print how to log in (used by `make run`)."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create the local 'admin' superuser once (password kept in var/admin-login.txt); print the login."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        if not settings.DEBUG:
            raise CommandError("ensure_admin is for local development; use createsuperuser in production.")
        login_file = settings.VAR_DIR / "admin-login.txt"
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None:
            password = secrets.token_urlsafe(12)
            User.objects.create_superuser(username=username, email="", password=password)
            login_file.parent.mkdir(parents=True, exist_ok=True)
            login_file.write_text(f"{username}\n{password}\n")
            login_file.chmod(0o600)
        if login_file.exists():
            saved_user, password = login_file.read_text().split()[:2]
            message = f"Admin: http://127.0.0.1:8000/admin/  user: {saved_user}  password: {password}"
        else:
            message = (
                f"Admin: http://127.0.0.1:8000/admin/  user: {username} (password set earlier; reset it with "
            )
            message += f"`python manage.py changepassword {username}`)"
        self.stdout.write(self.style.SUCCESS(message))
