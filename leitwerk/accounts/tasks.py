"""Background work of accounts (django-tasks): the password-reset mail (M7) and the invitation
e-mail.

Tasks take ids or addresses, not rows; the reset and invitation links are computed here, so no
secret sits in the task queue. A failing mail server queues the same task again with backoff
(`leitwerk.core.mail.send_or_retry`), which computes the link anew.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from leitwerk.core.mail import send_or_retry

from .invitations import invitation_token
from .models import Invitation
from .signin_forms import GermanPasswordResetForm

RESET_EMAIL_TEMPLATE = "accounts/password_reset_email.txt"
RESET_SUBJECT_TEMPLATE = "accounts/password_reset_subject.txt"


class _ResetForm(GermanPasswordResetForm):
    """Django's form logs a failed send and carries on (Django 5); here the failure must reach
    send_or_retry, so the mail is tried again instead of being lost."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        send_mail(subject, body, from_email, [to_email])


@task()
def send_password_reset_mail(email: str, site_url: str, attempt: int = 1) -> int:
    """Mail the reset link to every active account with this address; the number sent.

    Runs in the worker, so the request answers equally fast whether or not the address is
    known (the lookup and the SMTP round trip happen here). `site_url` is settings.SITE_URL
    (or in development the request's host), never taken from a header here.
    """
    form = _ResetForm(data={"email": email})
    if not form.is_valid():
        return 0
    site = urlsplit(site_url)
    users = list(form.get_users(form.cleaned_data["email"]))
    if not users:
        return 0

    def send() -> int:
        form.save(
            domain_override=site.netloc,
            use_https=site.scheme == "https",
            email_template_name=RESET_EMAIL_TEMPLATE,
            subject_template_name=RESET_SUBJECT_TEMPLATE,
        )
        return len(users)

    return send_or_retry(
        task_=send_password_reset_mail,
        attempt=attempt,
        kwargs={"email": email, "site_url": site_url},
        send=send,
        what="password reset",
        to=[email],
    )


def _absolute(path: str) -> str:
    base = getattr(settings, "SITE_URL", "") or ""
    return f"{base.rstrip('/')}{path}"


@task()
def send_invitation_mail(invitation_id: int, attempt: int = 1) -> int:
    """One e-mail to the invited person: the link to set a password, or that they can sign in."""
    # An id from our own task queue: the row's municipality is not known before reading it.
    invitation = (
        Invitation.objects.across_municipalities()
        .select_related("user", "municipality", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:
        return 0
    link = _absolute(
        reverse(
            "accounts:invitation_accept",
            kwargs={"pk": invitation.pk, "token": invitation_token(invitation)},
        )
    )
    body = render_to_string(
        "accounts/email/invitation.txt",
        {
            "invitation": invitation,
            "link": link,
            "has_account": invitation.accepted_at is not None,
            "login_url": _absolute(reverse("accounts:login")),
        },
    )
    to = [invitation.user.email]
    return send_or_retry(
        task_=send_invitation_mail,
        attempt=attempt,
        kwargs={"invitation_id": invitation_id},
        send=lambda: send_mail(
            subject=f"Einladung zu Leitwerk – {invitation.municipality.name}",
            message=body,
            from_email=None,
            recipient_list=to,
        ),
        what="invitation",
        to=to,
    )
