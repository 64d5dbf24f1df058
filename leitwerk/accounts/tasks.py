"""Background tasks of the accounts app: the password-reset mail (M7)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django_tasks import task

from .signin_forms import GermanPasswordResetForm

RESET_EMAIL_TEMPLATE = "accounts/password_reset_email.txt"
RESET_SUBJECT_TEMPLATE = "accounts/password_reset_subject.txt"


@task()
def send_password_reset_mail(email: str, site_url: str) -> int:
    """Mail the reset link to every active account with this address; the number sent.

    Runs in the worker, so the request answers equally fast whether or not the address is
    known (the lookup and the SMTP round trip happen here). `site_url` is settings.SITE_URL
    (or in development the request's host), never taken from a header here.
    """
    form = GermanPasswordResetForm(data={"email": email})
    if not form.is_valid():
        return 0
    site = urlsplit(site_url)
    users = list(form.get_users(form.cleaned_data["email"]))
    if users:
        form.save(
            domain_override=site.netloc,
            use_https=site.scheme == "https",
            email_template_name=RESET_EMAIL_TEMPLATE,
            subject_template_name=RESET_SUBJECT_TEMPLATE,
        )
    return len(users)
