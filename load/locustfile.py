# ruff: noqa: S311 - random only picks pages and answers, nothing secret
"""Load scenario for Leitwerk (issue 10): `make load` runs it headless, see load/run.py.

Three kinds of visitors across two municipalities (Musterstadt, Amt Musterland):
- 70 % read the public portal (start page, Leitbild, Vorhaben with their profiles, decisions,
  Mitmachen, Termine, news, open data, the feeds);
- 20 % answer a public survey: open the form, take the CSRF and form tokens from it, answer
  every question at random and send it;
- 10 % are a signed-in project lead who opens "Meine Aktualisierungen" and a Vorhaben and
  reports its status (Sachstand).

The targets (survey and Vorhaben ids, the demo password) come from load/prepare.py through
the file named by LEITWERK_LOAD_TARGETS. Every response with an unexpected status, or a
survey answer without the thank-you page, counts as an error.
"""

from __future__ import annotations

import json
import os
import random
import re
from html.parser import HTMLParser

from locust import HttpUser, between, task

with open(os.environ.get("LEITWERK_LOAD_TARGETS", "var/load/targets.json")) as fh:
    TARGETS = json.load(fh)
MUNICIPALITIES = TARGETS["municipalities"]
PASSWORD = TARGETS["password"]

PORTAL_PAGES = [
    "",
    "leitbild/",
    "vorhaben/",
    "entscheidungen/",
    "mitmachen/",
    "termine/",
    "neuigkeiten/",
    "daten/",
    "kalender.ics",
    "neuigkeiten.atom",
    "daten/vorhaben.json",
]


class FormParser(HTMLParser):
    """The inputs of the first POST form: hidden values and the choices of each question."""

    def __init__(self) -> None:
        super().__init__()
        self.hidden: dict[str, str] = {}
        self.choices: dict[str, list[str]] = {}
        self.multiple: set[str] = set()
        self.textareas: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind == "hidden":
                self.hidden[name] = a.get("value", "")
            elif kind in ("radio", "checkbox"):
                self.choices.setdefault(name, []).append(a.get("value", ""))
                if kind == "checkbox":
                    self.multiple.add(name)
        elif tag == "textarea" and name:
            self.textareas.append(name)


def parse_form(html: str) -> FormParser:
    parser = FormParser()
    parser.feed(html)
    return parser


class PortalVisitor(HttpUser):
    """Reads the public pages of one municipality."""

    weight = 70
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.slug = random.choice(MUNICIPALITIES)["slug"]
        r = self.client.get(f"/{self.slug}/vorhaben/", name="/[slug]/vorhaben/")
        ids = re.findall(rf'href="/{re.escape(self.slug)}/vorhaben/(\d+)/"', r.text)
        self.initiatives = sorted(set(ids)) or None

    @task(6)
    def page(self) -> None:
        page = random.choice(PORTAL_PAGES)
        self.client.get(f"/{self.slug}/{page}", name=f"/[slug]/{page}")

    @task(3)
    def initiative(self) -> None:
        if self.initiatives:
            pk = random.choice(self.initiatives)
            self.client.get(f"/{self.slug}/vorhaben/{pk}/", name="/[slug]/vorhaben/[id]/")

    @task(1)
    def surveys_and_suggestions(self) -> None:
        self.client.get(f"/{self.slug}/umfragen/", name="/[slug]/umfragen/")


class SurveyRespondent(HttpUser):
    """Answers an open survey anonymously, as a citizen with a browser would."""

    weight = 20
    wait_time = between(1, 3)

    def on_start(self) -> None:
        town = random.choice(MUNICIPALITIES)
        self.slug = town["slug"]
        self.survey = random.choice(town["surveys"])

    @task
    def answer(self) -> None:
        url = f"/{self.slug}/umfragen/{self.survey}/"
        name = "/[slug]/umfragen/[id]/"
        form = self.client.get(url, name=name)
        if form.status_code != 200:
            return
        parsed = parse_form(form.text)
        data: dict[str, object] = {
            k: v for k, v in parsed.hidden.items() if k in ("csrfmiddlewaretoken", "token")
        }
        data["website"] = ""
        for field, values in parsed.choices.items():
            if not field.startswith("q_"):
                continue
            if field in parsed.multiple:
                data[field] = random.sample(values, k=random.randint(1, len(values)))
            else:
                data[field] = random.choice(values)
        for field in parsed.textareas:
            if field.startswith("q_") and random.random() < 0.3:
                data[field] = "Alles gut, danke."
        with self.client.post(
            url, data=data, name=f"{name} (Antwort)", catch_response=True
        ) as response:
            if response.status_code != 200 or "Vielen Dank" not in response.text:
                response.failure(f"keine Dankesseite (HTTP {response.status_code})")


class ProjectLead(HttpUser):
    """A signed-in project lead keeps one of their Vorhaben up to date."""

    weight = 10
    wait_time = between(1, 3)

    def on_start(self) -> None:
        town = random.choice(MUNICIPALITIES)
        self.initiatives = town["lead"]["initiatives"]
        login = "/konto/anmelden/"
        page = self.client.get(login, name=login)
        token = parse_form(page.text).hidden.get("csrfmiddlewaretoken", "")
        with self.client.post(
            login,
            data={
                "csrfmiddlewaretoken": token,
                "login": town["lead"]["email"],
                "password": PASSWORD,
            },
            name=f"{login} (Anmeldung)",
            catch_response=True,
        ) as response:
            if response.status_code != 200 or "/konto/anmelden/" in response.url:
                response.failure(f"Anmeldung fehlgeschlagen ({response.url})")

    @task(2)
    def my_updates(self) -> None:
        self.client.get(
            "/arbeitsbereich/controlling/meine-aktualisierungen/",
            name="/arbeitsbereich/controlling/meine-aktualisierungen/",
        )

    @task(2)
    def initiative(self) -> None:
        pk = random.choice(self.initiatives)
        self.client.get(
            f"/arbeitsbereich/plaene/vorhaben/{pk}/", name="/arbeitsbereich/plaene/vorhaben/[id]/"
        )

    @task(1)
    def report_status(self) -> None:
        pk = random.choice(self.initiatives)
        url = f"/arbeitsbereich/plaene/vorhaben/{pk}/sachstand/neu/"
        name = "/arbeitsbereich/plaene/vorhaben/[id]/sachstand/neu/"
        form = self.client.get(url, name=name)
        token = parse_form(form.text).hidden.get("csrfmiddlewaretoken", "")
        with self.client.post(
            url,
            data={
                "csrfmiddlewaretoken": token,
                "health": random.choice(["on_track", "at_risk"]),
                "text": "Lasttest: Termin mit dem Fachbereich abgestimmt, es geht voran.",
                "off_track_note": "",
            },
            name=f"{name} (Meldung)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"Meldung nicht angenommen (HTTP {response.status_code})")
