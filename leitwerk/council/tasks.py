"""Background work of the council stage (django-tasks): reminder mails of the follow-up and
"Jetzt abgleichen" (the RIS sync)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django_tasks import task

from leitwerk.accounts.models import User
from leitwerk.core.mail import mail_queue

from .models import DecisionFollowUp


@task()
def send_follow_up_mails(follow_up_id: int, user_ids: list[int]) -> int:
    """One mail per person of the responsible unit: which decision is due when."""
    # Ids from our own queue: the row's town is read from the row itself.
    follow_up = (
        DecisionFollowUp.objects.across_municipalities()
        .select_related("decision")
        .filter(pk=follow_up_id)
        .first()
    )
    if follow_up is None or follow_up.deadline is None:
        return 0
    base = (getattr(settings, "SITE_URL", "") or "").rstrip("/")
    url = base + reverse("council:follow_up_edit", kwargs={"pk": follow_up.pk})
    sent = 0
    for person in User.objects.filter(pk__in=user_ids, email_reminders=True):
        body = (
            f"Guten Tag,\n\nder Beschluss „{follow_up.decision.title}“ ist bis "
            f"{follow_up.deadline:%d.%m.%Y} umzusetzen. Bitte tragen Sie den Stand in der "
            f"Beschlusskontrolle ein:\n{url}\n\nIhr Leitwerk\n"
        )
        # One queued mail per person: retried on its own when the mail server fails.
        mail_queue(
            to=person.email,
            subject=f"Beschlusskontrolle: Frist {follow_up.deadline:%d.%m.%Y}",
            body=body,
        )
        sent += 1
    return sent


@task()
def run_ris_sync(source_id: int, actor_id: int | None = None) -> bool | None:
    """The sync asked for with "Jetzt abgleichen"; its result lands on the RIS page."""
    from . import services

    municipality = services.ris_sync_start(source_id=source_id)
    if municipality is None:
        return None
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return services.ris_sync(municipality=municipality, actor=actor).ok
