"""URLconf of the bench only (config/settings/bench.py): production's URLs plus the floor.

The floor is the cheapest page the stack can serve: the same middleware, one indexed query
(GET) or one indexed query and one insert (POST). Pages are compared against it.
"""

from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import path
from django.utils.html import escape

from config.urls import urlpatterns as production_urlpatterns
from leitwerk.core.models import AuditLogEntry
from leitwerk.municipalities.models import Municipality


def floor(request, municipality_slug: str):
    municipality_id = (
        Municipality.objects.filter(slug=municipality_slug).values_list("pk", flat=True).first()
    )
    if request.method == "POST":
        AuditLogEntry.objects.create(
            municipality_id=municipality_id, action="bench.floor", target_repr="Lastmessung"
        )
        return HttpResponse("gespeichert", content_type="text/plain; charset=utf-8")
    token = escape(get_token(request))
    return HttpResponse(
        f'<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
        f"<p>Kommune {municipality_id}</p></form>"
    )


urlpatterns = [
    path("__bench__/<slug:municipality_slug>/boden/", floor, name="bench_floor"),
    *production_urlpatterns,
]
