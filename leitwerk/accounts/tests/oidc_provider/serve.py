"""Entry point: `python -m leitwerk.accounts.tests.oidc_provider.serve`.

Creates the database, the Leitwerk client and the directory's people, then serves on
127.0.0.1:$OP_PORT until killed. Users: OP_USERS as JSON {"alice": ["email", "password"]}.
"""

import json
import os

os.environ["DJANGO_SETTINGS_MODULE"] = "leitwerk.accounts.tests.oidc_provider.settings"

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from oauth2_provider.models import Application  # noqa: E402


def main() -> None:
    call_command("migrate", verbosity=0, interactive=False)
    Application.objects.create(
        name="Leitwerk",
        client_id=os.environ["OP_CLIENT_ID"],
        client_secret=os.environ["OP_CLIENT_SECRET"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=os.environ["OP_REDIRECT_URIS"],
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    for username, (email, password) in json.loads(os.environ["OP_USERS"]).items():
        User.objects.create_user(
            username=username, email=email, password=password, first_name=username.title()
        )
    call_command(
        "runserver",
        f"127.0.0.1:{os.environ['OP_PORT']}",
        use_reloader=False,
        use_threading=True,
        skip_checks=True,
    )


if __name__ == "__main__":
    main()
