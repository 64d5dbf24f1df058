"""Background work of the network (django-tasks): e-mails about transfer requests.

Ids, not rows: arguments must be JSON, and rows may change before the worker runs.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django_tasks import task

from leitwerk.core.mail import mail_queue

from .models import TransferRequest


@task()
def send_transfer_mail(request_id: int, recipient_ids: list[int], text: str) -> int:
    """Tell the other side of a transfer request what happened, with the link to the thread."""
    request = (
        TransferRequest.objects.filter(pk=request_id)
        # The worker serves both towns of a request; the id came from a scoped service.
        .across_municipalities()
        .select_related("shared_initiative")
        .first()
    )
    if request is None:
        return 0
    link = f"{getattr(settings, 'SITE_URL', '').rstrip('/')}"
    link += reverse("network:request_detail", args=[request.pk])
    people = get_user_model().objects.filter(pk__in=recipient_ids, is_active=True)
    sent = 0
    for person in people:
        # One queued mail per person: retried on its own when the mail server fails.
        mail_queue(
            to=person.email,
            subject=f"Netzwerk: {request.shared_initiative.title}"[:150],
            body=f"{text}\n\nZur Anfrage: {link}\n",
        )
        sent += 1
    return sent
