"""Make sure the local accounts exist and print how to log in (used by `make run`).

Creates, once: an `admin` superuser, a `writer` in the Writer group and an `editor` in the Editor group, each
with a generated password kept in var/admin-login.txt (readable only by you).
"""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from articles import roles
from articles.models import Author, unique_slug

ACCOUNTS = [("admin", None), ("writer", roles.WRITER), ("editor", roles.EDITOR)]
# The desk fills in a writer's own byline on a new story: the local writer and editor are authors too.
NAMES = {"writer": ("Ana", "Reyes"), "editor": ("Tomas", "Berg")}


def read_logins(path):
    """{username: password} from lines of "username password"."""
    if not path.exists():
        return {}
    pairs = (line.split() for line in path.read_text().splitlines())
    return {pair[0]: pair[1] for pair in pairs if len(pair) == 2}


class Command(BaseCommand):
    help = "Create the local admin, writer and editor accounts once and print their logins."

    def add_arguments(self, parser):
        parser.add_argument("--address", default="127.0.0.1:8000", help="host:port the server listens on")

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("ensure_admin is for local development; use createsuperuser in production.")
        login_file = settings.VAR_DIR / "admin-login.txt"
        saved = read_logins(login_file)
        User = get_user_model()
        for username, role in ACCOUNTS:
            if User.objects.filter(username=username).exists():
                continue
            password = secrets.token_urlsafe(12)
            if role is None:
                User.objects.create_superuser(username=username, email="", password=password)
            else:
                first, last = NAMES[username]
                user = User.objects.create_user(
                    username=username, password=password, is_staff=True, first_name=first, last_name=last
                )
                user.groups.add(Group.objects.get(name=role))
                name = f"{first} {last}"
                Author.objects.get_or_create(
                    user=user, defaults={"name": name, "slug": unique_slug(Author, name, max_length=150)}
                )
            saved[username] = password
        login_file.parent.mkdir(parents=True, exist_ok=True)
        login_file.write_text("".join(f"{user} {password}\n" for user, password in saved.items()))
        login_file.chmod(0o600)
        self.stdout.write(self.style.SUCCESS(f"Admin: http://{options['address']}/admin/"))
        for username, role in ACCOUNTS:
            password = saved.get(
                username, "(set earlier; `python manage.py changepassword " + username + "`)"
            )
            self.stdout.write(f"  {role or 'Superuser':10} user: {username:7} password: {password}")
