"""Reading an OParl 1.1 server: one guarded fetcher, lists with pagination, field readers.

No network access except the configured server: every address the server hands out (the body
list, `links.next`, the lists of a body) must have the scheme, host and port of the configured
system URL, redirects are not followed, every request has a timeout and every answer a size
limit. The sync (`services.ris_sync`) takes the fetcher as an argument, so the demo can read
shipped JSON files in-process (`DatasetFetcher`) and the tests a local server.
"""

from __future__ import annotations

import datetime as dt
import http.client
import ipaddress
import json
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

TIMEOUT_SECONDS = 20
MAX_BYTES = 5 * 1024 * 1024
MAX_PAGES = 2000  # a list longer than this is a server that loops on `links.next`

Fetch = Callable[[str], dict[str, Any]]


class FetchError(Exception):
    """An address that could not be read; the message is German and names the problem."""


def origin(url: str) -> tuple[str, str, int | None]:
    parts = urllib.parse.urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), port


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise FetchError(f"Der Server leitet auf {newurl} um; Umleitungen folgt Leitwerk nicht.")


# --- no requests into the own network (SSRF) ------------------------------------------------
#
# The RIS address is typed by a town's admin or strategy office; without this guard it could
# make the Leitwerk server read its own loopback services, the machines of the municipal
# network or a cloud's metadata service (169.254.169.254). The name is resolved once, every
# address it gives must be public, and the connection goes to exactly the checked address,
# so a name that answers differently a moment later (DNS rebinding) cannot slip through.
# Redirects are not followed at all (_NoRedirect). An operator whose RIS is only reachable
# inside the administration network names that network in LEITWERK_OPARL_ALLOWED_NETWORKS.

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def _allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    from django.conf import settings

    return [
        ipaddress.ip_network(net, strict=False)
        for net in getattr(settings, "LEITWERK_OPARL_ALLOWED_NETWORKS", [])
    ]


def _is_internal(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return not address.is_global or address.is_multicast


def checked_address(host: str, port: int | None) -> str:
    """The address to connect to for `host`: public, or in an operator-approved network.

    Raises FetchError in German when the name resolves to nothing or to any internal address.
    """
    try:
        infos = socket.getaddrinfo(host, port or 443, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(f"Der Servername {host} ist unbekannt.") from error
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    if not addresses:
        raise FetchError(f"Der Servername {host} ist unbekannt.")
    allowed = _allowed_networks()
    for address in addresses:
        # Link-local (the cloud metadata service) is never read, whatever is allowed.
        if address.is_link_local or (
            _is_internal(address) and not any(address in net for net in allowed)
        ):
            raise FetchError(
                f"Die Adresse {host} führt zu {address}, einer internen Adresse. Leitwerk "
                "liest nur von Servern im Internet. Ist Ihr Ratsinformationssystem nur im "
                "Verwaltungsnetz erreichbar, kann der Betrieb dieses Netz freigeben "
                "(LEITWERK_OPARL_ALLOWED_NETWORKS)."
            )
    return str(addresses[0])


class _CheckedHTTPConnection(http.client.HTTPConnection):
    def connect(self) -> None:
        address = checked_address(self.host, self.port)
        self.sock = socket.create_connection((address, self.port), self.timeout)


class _CheckedHTTPSConnection(http.client.HTTPSConnection):
    def connect(self) -> None:
        address = checked_address(self.host, self.port)
        sock = socket.create_connection((address, self.port), self.timeout)
        # The certificate is checked against the name, not the address.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


class _CheckedHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_CheckedHTTPConnection, req)


class _CheckedHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_CheckedHTTPSConnection, req, context=self._context)  # type: ignore[attr-defined]


class HttpFetcher:
    """GET JSON from the configured server only."""

    def __init__(self, system_url: str, *, timeout: float = TIMEOUT_SECONDS) -> None:
        scheme, host, _port = origin(system_url)
        if scheme not in ("http", "https") or not host:
            raise FetchError("Die OParl-Adresse muss mit http:// oder https:// beginnen.")
        self.allowed = origin(system_url)
        self.timeout = timeout
        # No proxy from the environment: the address check must see the real destination.
        self._opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}),
            _NoRedirect,
            _CheckedHTTPHandler,
            _CheckedHTTPSHandler,
        )

    def __call__(self, url: str) -> dict[str, Any]:
        if origin(url) != self.allowed:
            raise FetchError(
                f"Die Adresse {url} liegt nicht auf dem eingestellten Server; "
                "Leitwerk liest nur von dort."
            )
        # The scheme was checked above: only http(s) of the configured server reaches here.
        request = urllib.request.Request(  # noqa: S310
            url, headers={"Accept": "application/json", "User-Agent": "Leitwerk-OParl"}
        )
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                data = response.read(MAX_BYTES + 1)
        except FetchError:
            raise
        except urllib.error.HTTPError as error:
            raise FetchError(f"Der Server antwortet mit Status {error.code}.") from error
        except (urllib.error.URLError, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            raise FetchError(f"Der Server ist nicht erreichbar ({reason}).") from error
        if len(data) > MAX_BYTES:
            raise FetchError("Die Antwort ist größer als 5 MB und wird nicht gelesen.")
        return parse_json(data)


def parse_json(data: bytes) -> dict[str, Any]:
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise FetchError("Die Antwort ist kein gültiges JSON.") from error
    if not isinstance(value, dict):
        raise FetchError("Die Antwort ist kein OParl-Objekt.")
    return value


def with_modified_since(url: str, since: dt.datetime | None) -> str:
    """The list URL with `modified_since` (OParl 1.1, chapter "Filter") added."""
    if since is None:
        return url
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    query = [(k, v) for k, v in query if k != "modified_since"]
    query.append(("modified_since", since.isoformat(timespec="seconds")))
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


def iterate_list(
    fetch: Fetch, url: str
) -> Iterator[tuple[dict[str, Any] | None, str, FetchError | None]]:
    """(object, page URL, None) per element of an OParl list, following `links.next`.

    A page that cannot be read ends the list with one (None, page URL, error).
    """
    seen: set[str] = set()
    page_url: str | None = url
    pages = 0
    while page_url and page_url not in seen and pages < MAX_PAGES:
        seen.add(page_url)
        pages += 1
        try:
            page = fetch(page_url)
            data = page.get("data")
            if not isinstance(data, list):
                raise FetchError("Die Liste hat kein Feld „data“.")
        except FetchError as error:
            yield None, page_url, error
            return
        for element in data:
            yield (element if isinstance(element, dict) else None), page_url, None
        links = page.get("links")
        next_url = links.get("next") if isinstance(links, dict) else None
        page_url = next_url if isinstance(next_url, str) else None


# --- reading fields tolerantly ------------------------------------------------------------


def text(obj: dict[str, Any], key: str, limit: int) -> str:
    value = obj.get(key)
    if value is None:
        return ""
    if not isinstance(value, str | int | float):
        raise ValueError(f"Das Feld „{key}“ ist kein Text.")
    return str(value).strip()[:limit]


def url_list(obj: dict[str, Any], key: str) -> list[str]:
    """A list of OParl ids; single objects and embedded objects are tolerated."""
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        value = [value]
    result = []
    for item in value:
        if isinstance(item, str):
            result.append(item)
        elif isinstance(item, dict) and isinstance(item.get("id"), str):
            result.append(item["id"])
    return result


def embedded(obj: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = obj.get(key)
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, dict)]


def datetime_value(obj: dict[str, Any], key: str) -> dt.datetime | None:
    value = obj.get(key)
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(str(value))
    except ValueError as error:
        raise ValueError(f"„{value}“ im Feld „{key}“ ist kein Zeitpunkt.") from error
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed


def date_value(obj: dict[str, Any], key: str) -> dt.date | None:
    value = obj.get(key)
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError as error:
        raise ValueError(f"„{value}“ im Feld „{key}“ ist kein Datum.") from error


def object_id(obj: dict[str, Any]) -> str:
    value = obj.get("id")
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        raise ValueError("Das Objekt hat keine gültige OParl-ID.")
    return value


def type_name(obj: dict[str, Any]) -> str:
    """ "Meeting" for "https://schema.oparl.org/1.1/Meeting"."""
    return str(obj.get("type", "")).rstrip("/").rsplit("/", 1)[-1]


# --- an OParl server from a data set (demo, tests) -----------------------------------------


class Dataset:
    """OParl objects by id, answering object and list URLs like a server would.

    A data set is a dict `{"system": {...}, "bodies": [...], "organizations": [...],
    "meetings": [...], "papers": [...]}` whose ids and links are written with `{base}`, the
    server's address; lists are served `page_size` objects a page with `links.next` and honour
    `modified_since`. The test server (`leitwerk/testing/oparl_server.py`) and the demo's
    in-process fetcher (`DatasetFetcher`) both answer from it.
    """

    LISTS = ("organizations", "meetings", "papers")

    def __init__(self, raw: dict[str, Any], base: str, *, page_size: int = 2) -> None:
        self.base = base.rstrip("/")
        self.page_size = page_size
        filled = json.loads(json.dumps(raw).replace("{base}", self.base))
        self.system: dict[str, Any] = filled["system"]
        self.bodies: list[dict[str, Any]] = filled["bodies"]
        self.lists: dict[str, list[dict[str, Any]]] = {k: filled.get(k, []) for k in self.LISTS}

    @property
    def system_url(self) -> str:
        return str(self.system["id"])

    def list_url(self, name: str) -> str:
        return f"{self.base}/body/1/{name}"

    def answer(self, url: str) -> dict[str, Any] | None:
        """The JSON for `url`, or None (404)."""
        parts = urllib.parse.urlsplit(url)
        path = urllib.parse.urlunsplit(parts._replace(query="", fragment="")).rstrip("/")
        query = dict(urllib.parse.parse_qsl(parts.query))
        if path == self.system_url.rstrip("/"):
            return self.system
        if path == f"{self.base}/bodies":
            return self._page(self.bodies, path, query)
        for name, objects in self.lists.items():
            if path == self.list_url(name):
                return self._page(objects, path, query)
        for obj in self.bodies + [o for objects in self.lists.values() for o in objects]:
            if obj.get("id", "").rstrip("/") == path:
                return obj
        return None

    def _page(self, objects: list[dict[str, Any]], path: str, query: dict[str, str]) -> dict:
        since = query.get("modified_since")
        if since:
            limit = dt.datetime.fromisoformat(since)
            objects = [
                o
                for o in objects
                if o.get("modified") and dt.datetime.fromisoformat(o["modified"]) >= limit
            ]
        page = max(int(query.get("page", "1") or 1), 1)
        chunk = objects[(page - 1) * self.page_size : page * self.page_size]
        links: dict[str, str] = {}
        if page * self.page_size < len(objects):
            rest = {k: v for k, v in query.items() if k != "page"}
            rest["page"] = str(page + 1)
            links["next"] = f"{path}?{urllib.parse.urlencode(rest)}"
        return {
            "data": chunk,
            "pagination": {
                "totalElements": len(objects),
                "elementsPerPage": self.page_size,
                "currentPage": page,
            },
            "links": links,
        }


class DatasetFetcher:
    """The fetcher for a data set held in memory: no network at all (the demo)."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset

    def __call__(self, url: str) -> dict[str, Any]:
        found = self.dataset.answer(url)
        if found is None:
            raise FetchError("Der Server antwortet mit Status 404.")
        return found
