"""`leitwerk generate`: deterministic synthetic data at network scale, through bulk inserts.

Each scale writes its own set of municipalities (slugs ``s-0001``, ``m-0001`` … ``m-0100``), so
S and M live side by side in one database and the bench compares them in one run. The first
municipality of every scale is the *measured* one and has the same content at every scale:
two adopted public plans (200 and 100 Vorhaben), an open citizen survey and one person of the
strategy office (``perf-<scale>-0001@bench.invalid``, no usable password). The other
municipalities carry the network's load: one plan with 200 Vorhaben each.

Per Vorhaben: 5 milestones, 1 quantitative indicator with 25 measurements. Per municipality:
5 organisational units, a survey with 5 questions and one open wave with 400 responses
(2,000 answers). All municipalities of a scale form one network that compares one benchmark.

Rows carry explicit primary keys (allocated after the current maximum; sequences are reset
afterwards), so children link to parents without reading anything back. On PostgreSQL the
rows go in through COPY; elsewhere through executemany. Django's model machinery (save(),
signals, history) is bypassed on purpose: the rows are written as the models define them
(every NOT NULL column filled, the tenant on every row, choices and constraints respected).

Same seed and same reference day give the same data: `GenerateResult.checksum` is a SHA-256
over every written row with primary keys and foreign keys taken relative to the run.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import random
import uuid
from decimal import Decimal
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from leitwerk.accounts.models import User
from leitwerk.core.formatting import number
from leitwerk.core.periods import period_label
from leitwerk.feedback.models import (
    Answer,
    Question,
    QuestionKind,
    Response,
    Survey,
    SurveyKind,
    SurveyStatus,
    Wave,
    WaveStatus,
)
from leitwerk.municipalities.models import (
    Membership,
    Municipality,
    MunicipalityKind,
    OrganisationalUnit,
    Role,
    UnitKind,
)
from leitwerk.network.models import BenchmarkDefinition, BenchmarkValue, Network, SharedIndicator
from leitwerk.plans.models import (
    ActionField,
    ActionPlan,
    Direction,
    Indicator,
    IndicatorKind,
    Initiative,
    InitiativeStatus,
    Measurement,
    MeasurementSource,
    Milestone,
    PlanStatus,
)


@dataclasses.dataclass(frozen=True)
class Scale:
    name: str
    municipalities: int
    # Vorhaben of the measured municipality's two plans, and of every other municipality.
    measured_plans: tuple[int, ...] = (200, 100)
    initiatives_per_municipality: int = 200
    fields_per_plan: int = 10
    milestones_per_initiative: int = 5
    measurements_per_indicator: int = 25
    units: int = 5
    questions: int = 5
    responses: int = 400
    benchmark_periods: int = 4

    def initiatives(self) -> int:
        return sum(self.measured_plans) + (self.municipalities - 1) * (
            self.initiatives_per_municipality
        )

    def expected_counts(self) -> dict[str, int]:
        """Rows per table that one run writes (the formula the tests check)."""
        n = self.municipalities
        ini = self.initiatives()
        plans = len(self.measured_plans) + (n - 1)
        return {
            "municipalities": n,
            "users": n,
            "memberships": n,
            "units": n * self.units,
            "plans": plans,
            "action_fields": plans * self.fields_per_plan,
            "initiatives": ini,
            "milestones": ini * self.milestones_per_initiative,
            "indicators": ini,
            "measurements": ini * self.measurements_per_indicator,
            "surveys": n,
            "questions": n * self.questions,
            "waves": n,
            "responses": n * self.responses,
            "answers": n * self.responses * self.questions,
            "networks": 1,
            "shared_indicators": n,
            "benchmark_values": n * self.benchmark_periods,
        }


SCALES = {
    "S": Scale("S", municipalities=1),
    "M": Scale("M", municipalities=100),
    "L": Scale("L", municipalities=1000),
    # Test only: a handful of rows with the same shape.
    "T": Scale(
        "T",
        municipalities=3,
        measured_plans=(4, 2),
        initiatives_per_municipality=3,
        fields_per_plan=2,
        milestones_per_initiative=2,
        measurements_per_indicator=3,
        units=2,
        questions=2,
        responses=6,
        benchmark_periods=2,
    ),
}


class ScaleAlreadyGenerated(Exception):
    pass


@dataclasses.dataclass
class GenerateResult:
    scale: str
    seed: int
    counts: dict[str, int]
    checksum: str
    seconds: float
    measured_slug: str

    def lines(self) -> list[str]:
        out = [
            f"Skala {self.scale} (Seed {self.seed}) erzeugt in {self.seconds:.1f} s; "
            f"gemessene Kommune: {self.measured_slug}."
        ]
        out += [f"  {name}: {number(count)}" for name, count in self.counts.items()]
        out.append(f"  Prüfsumme: {self.checksum}")
        return out


def slug_for(scale: str, index: int) -> str:
    return f"{scale.lower()}-{index + 1:04d}"


def measured_slug(scale: str) -> str:
    return slug_for(scale, 0)


def measured_email(scale: str) -> str:
    return f"perf-{scale.lower()}-0001@bench.invalid"


class _Table:
    """Buffered rows of one model, with explicit ids, flushed by COPY or executemany."""

    BATCH = 20_000

    def __init__(self, writer: _Writer, model: type[models.Model]) -> None:
        self.writer = writer
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.columns = [f.column for f in self.fields]
        self.pk_name = model._meta.pk.attname
        self.auto_pk = isinstance(model._meta.pk, models.AutoField)
        self.base = 0
        if self.auto_pk:
            self.base = (model._default_manager.aggregate(m=Max("pk"))["m"] or 0) + 1
        self.next_id = self.base
        self.count = 0
        self.rows: list[tuple[Any, ...]] = []
        now = writer.now
        self.defaults: dict[str, Any] = {}
        for f in self.fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.defaults[f.attname] = now
            elif f.has_default():
                self.defaults[f.attname] = None if callable(f.default) else f.default
                if callable(f.default) and f.default in (list, dict):
                    self.defaults[f.attname] = f.default()
            elif f.null:
                self.defaults[f.attname] = None
            elif f.empty_strings_allowed:
                self.defaults[f.attname] = ""
        self.json_fields = {f.attname for f in self.fields if isinstance(f, models.JSONField)}
        # related_model is a class once the app registry is ready ("self" only before).
        self.fk_targets: dict[str, type[models.Model]] = {
            f.attname: f.related_model
            for f in self.fields
            if f.is_relation and isinstance(f.related_model, type)
        }

    def add(self, **values: Any) -> Any:
        if self.pk_name not in values:
            values[self.pk_name] = self.next_id
            self.next_id += 1
        row = []
        for f in self.fields:
            name = f.attname
            value = values[name] if name in values else self.defaults[name]
            if name in self.json_fields:
                value = json.dumps(value, ensure_ascii=False, sort_keys=True)
            row.append(value)
        self.rows.append(tuple(row))
        self.count += 1
        self.writer.digest(self, row)
        if len(self.rows) >= self.BATCH:
            self.flush()
        return values[self.pk_name]

    def flush(self) -> None:
        if not self.rows:
            return
        table = self.model._meta.db_table
        quoted = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                raw = cursor.cursor  # psycopg 3 cursor under Django's wrapper
                with raw.copy(
                    f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN"
                ) as c:
                    for row in self.rows:
                        c.write_row(row)
            else:
                prepared = [
                    tuple(
                        v
                        if v is None or f.attname in self.json_fields
                        else f.get_db_prep_save(v, connection)
                        for f, v in zip(self.fields, row, strict=True)
                    )
                    for row in self.rows
                ]
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(
                    # Table and column names come from the models, never from input.
                    f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES ({marks})",  # noqa: S608
                    prepared,
                )
        self.rows = []


class _Writer:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now
        self.tables: dict[type[models.Model], _Table] = {}
        self.hash = hashlib.sha256()

    def table(self, model: type[models.Model]) -> _Table:
        if model not in self.tables:
            self.tables[model] = _Table(self, model)
        return self.tables[model]

    def digest(self, table: _Table, row: list[Any]) -> None:
        parts = [table.model._meta.label]
        for f, value in zip(table.fields, row, strict=True):
            if f.primary_key and table.auto_pk:
                value = value - table.base
            elif f.attname in table.fk_targets and isinstance(value, int):
                target = self.tables.get(table.fk_targets[f.attname])
                if target is not None and target.auto_pk:
                    value = value - target.base
            parts.append(repr(value))
        self.hash.update("|".join(parts).encode())
        self.hash.update(b"\n")

    def finish(self) -> None:
        for table in self.tables.values():
            table.flush()
        models_ = [m for m, t in self.tables.items() if t.auto_pk]
        sql = connection.ops.sequence_reset_sql(no_style(), models_)
        if sql:
            with connection.cursor() as cursor:
                for statement in sql:
                    cursor.execute(statement)


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


TOPICS = [
    "Radverkehr",
    "Klimaanpassung",
    "Digitale Verwaltung",
    "Bildung",
    "Wohnen",
    "Ehrenamt",
    "Innenstadt",
    "Energie",
    "Gesundheit",
    "Kultur",
    "Mobilität",
    "Grünflächen",
]
VERBS = ["ausbauen", "stärken", "modernisieren", "vernetzen", "planen", "fördern", "sichern"]


def generate(
    *, scale: str, seed: int = 1, today: dt.date | None = None, stdout: Any = None
) -> GenerateResult:
    """Write one scale's data; refuses when this scale's municipalities already exist."""
    import time

    spec = SCALES[scale]
    today = today or timezone.localdate()
    if Municipality.objects.filter(slug=measured_slug(scale)).exists():
        raise ScaleAlreadyGenerated(scale)
    started = time.monotonic()
    rng = random.Random(f"{seed}:{scale}")
    now = timezone.make_aware(dt.datetime.combine(today, dt.time(6, 0)))
    w = _Writer(now)

    with transaction.atomic():
        run = _Generation(w, spec, scale, rng, today, now)
        for m in range(spec.municipalities):
            run.municipality(m)
            if (m + 1) % 50 == 0 and stdout is not None:
                stdout.write(f"  {m + 1} von {spec.municipalities} Kommunen geschrieben …")
        w.finish()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return GenerateResult(
        scale=scale,
        seed=seed,
        counts=run.counts(),
        checksum=w.hash.hexdigest(),
        seconds=time.monotonic() - started,
        measured_slug=measured_slug(scale),
    )


class _Generation:
    """One run of `generate`: its tables, the network, then one municipality at a time.

    The order of the rows and of the draws from `rng` is part of the checksum: a change
    here changes the data of every seed.
    """

    def __init__(
        self,
        w: _Writer,
        spec: Scale,
        scale: str,
        rng: random.Random,
        today: dt.date,
        now: dt.datetime,
    ) -> None:
        self.spec, self.scale, self.rng, self.today, self.now = spec, scale, rng, today, now
        self.t_muni = w.table(Municipality)
        self.t_user = w.table(User)
        self.t_member = w.table(Membership)
        self.t_unit = w.table(OrganisationalUnit)
        self.t_plan = w.table(ActionPlan)
        self.t_field = w.table(ActionField)
        self.t_ini = w.table(Initiative)
        self.t_ms = w.table(Milestone)
        self.t_ind = w.table(Indicator)
        self.t_meas = w.table(Measurement)
        self.t_survey = w.table(Survey)
        self.t_q = w.table(Question)
        self.t_wave = w.table(Wave)
        self.t_resp = w.table(Response)
        self.t_ans = w.table(Answer)
        self.t_net = w.table(Network)
        self.t_net_members = w.table(Network.members.through)
        self.t_def = w.table(BenchmarkDefinition)
        self.t_shared = w.table(SharedIndicator)
        self.t_shared_nets = w.table(SharedIndicator.networks.through)
        self.t_value = w.table(BenchmarkValue)

        self.network_id = self.t_net.add(
            name=f"Benchmark-Netzwerk {scale}",
            slug=f"bench-{scale.lower()}",
            description="Synthetisches Netzwerk für Lastmessungen.",
            public=False,
        )
        self.definition_id = self.t_def.add(
            slug=f"bench-{scale.lower()}-radwege",
            title="Radwegenetz je 1.000 Einwohnende",
            unit="km",
            definition="Länge der Radwege in km je 1.000 Einwohnende.",
            direction="higher",
        )
        self.statuses = [
            InitiativeStatus.ACTIVE,
            InitiativeStatus.ACTIVE,
            InitiativeStatus.ACTIVE,
            InitiativeStatus.PLANNED,
            InitiativeStatus.COMPLETED,
            InitiativeStatus.PAUSED,
        ]
        self.periods = [f"{today.year - k}" for k in range(spec.benchmark_periods)]

    def municipality(self, m: int) -> None:
        """The m-th municipality with its person, units, plans, survey and benchmark values."""
        spec, rng = self.spec, self.rng
        muni = self.t_muni.add(
            name=f"Benchstadt {self.scale} {m + 1}",
            slug=slug_for(self.scale, m),
            ags=f"{99000000 + m:08d}",
            kind=MunicipalityKind.STADT,
            population=rng.randint(2_000, 250_000),
            state="Brandenburg",
            parent_id=None,
        )
        user = self.t_user.add(
            password="!bench-unusable",
            last_login=None,
            is_superuser=False,
            first_name="Perf",
            last_name=f"{self.scale} {m + 1}",
            email=f"perf-{self.scale.lower()}-{m + 1:04d}@bench.invalid",
            is_staff=False,
            is_active=True,
            date_joined=self.now,
        )
        units = [
            self.t_unit.add(
                municipality_id=muni,
                name=f"Fachbereich {u + 1}",
                code=f"FB{u + 1}",
                kind=UnitKind.FACHBEREICH,
                parent_id=None,
                capacity_person_days=Decimal(rng.randint(200, 2000)),
            )
            for u in range(spec.units)
        ]
        self.t_member.add(
            municipality_id=muni, user_id=user, role=Role.STRATEGY, unit_id=None, body_id=None
        )
        self.t_net_members.add(network_id=self.network_id, municipality_id=muni)
        sizes = spec.measured_plans if m == 0 else (spec.initiatives_per_municipality,)
        first_indicator = None
        for p, size in enumerate(sizes):
            indicator = self.plan(muni, units, p, size, parts=len(sizes))
            if first_indicator is None:
                first_indicator = indicator
        self.survey(muni)
        self.benchmark(muni, first_indicator)

    def plan(self, muni: int, units: list[int], p: int, size: int, *, parts: int) -> int | None:
        """One adopted plan of `size` Vorhaben; returns its first indicator."""
        today = self.today
        plan = self.t_plan.add(
            municipality_id=muni,
            title=f"Aktionsplan {today.year}–{today.year + 4}"
            + (f" (Teil {p + 1})" if parts > 1 else ""),
            description="Synthetischer Plan für Lastmessungen.",
            period_start=dt.date(today.year, 1, 1),
            period_end=dt.date(today.year + 4, 12, 31),
            status=PlanStatus.ADOPTED,
            adopted_on=dt.date(today.year, 1, 15),
            adopted_by_id=None,
            public=True,
        )
        nfields = min(self.spec.fields_per_plan, size) or 1
        field_ids = [
            self.t_field.add(
                municipality_id=muni,
                plan_id=plan,
                code=f"{f + 1}",
                label="Aktionsfeld",
                title=f"{TOPICS[f % len(TOPICS)]}",
                order=f,
            )
            for f in range(nfields)
        ]
        first_indicator = None
        for i in range(size):
            indicator = self.initiative(muni, units, field_ids[i % nfields], i, nfields)
            if first_indicator is None:
                first_indicator = indicator
        return first_indicator

    def initiative(self, muni: int, units: list[int], field: int, i: int, nfields: int) -> int:
        """One Vorhaben with its milestones and indicator; returns the indicator."""
        rng, today, now = self.rng, self.today, self.now
        topic = rng.choice(TOPICS)
        start = today - dt.timedelta(days=rng.randint(30, 700))
        end = start + dt.timedelta(days=rng.randint(200, 1400))
        ini = self.t_ini.add(
            municipality_id=muni,
            action_field_id=field,
            number=f"{i % nfields + 1}.{i // nfields + 1}",
            title=f"{topic} {rng.choice(VERBS)} ({i + 1})",
            objective=f"Ziel: {topic} messbar verbessern.",
            description="",
            status=rng.choice(self.statuses),
            lead_unit_id=rng.choice(units),
            start_date=start,
            end_date=end,
            effort_person_days=Decimal(rng.randint(5, 400)),
            budget_eur=Decimal(rng.randint(0, 500) * 1000),
            weight=Decimal(1),
            public=True,
            last_report_at=now - dt.timedelta(days=rng.randint(0, 200)),
            order=i,
        )
        self.milestones(muni, ini, start, end)
        baseline = Decimal(rng.randint(0, 50))
        target = baseline + Decimal(rng.randint(20, 100))
        ind = self.t_ind.add(
            municipality_id=muni,
            initiative_id=ini,
            goal_id=None,
            title=f"Kennzahl {topic}",
            kind=IndicatorKind.QUANTITATIVE,
            unit="Anzahl",
            baseline=baseline,
            baseline_date=start,
            target=target,
            target_date=end,
            direction=Direction.INCREASE,
            public=True,
            order=0,
        )
        self.measurements(muni, ind, baseline, target)
        return ind

    def milestones(self, muni: int, ini: int, start: dt.date, end: dt.date) -> None:
        count = self.spec.milestones_per_initiative
        span = (end - start).days
        for k in range(count):
            due = start + dt.timedelta(days=span * (k + 1) // (count + 1))
            done = due if due < self.today and self.rng.random() < 0.7 else None
            self.t_ms.add(
                municipality_id=muni,
                initiative_id=ini,
                title=f"Meilenstein {k + 1}",
                due_date=due,
                done_on=done,
                is_success_factor=k == count - 1,
                weight=Decimal(1),
                order=k,
            )

    def measurements(self, muni: int, ind: int, baseline: Decimal, target: Decimal) -> None:
        count = self.spec.measurements_per_indicator
        value = float(baseline)
        step = float(target - baseline) / (count + 5)
        for k in range(count):
            value += step * self.rng.uniform(0.2, 1.8)
            day = self.today - dt.timedelta(days=14 * (count - k))
            self.t_meas.add(
                municipality_id=muni,
                indicator_id=ind,
                measured_on=day,
                period_label=period_label(day),
                value=Decimal(f"{value:.2f}"),
                source=MeasurementSource.IMPORT,
                recorded_by_id=None,
            )

    def survey(self, muni: int) -> None:
        """An open citizen survey with one wave of responses."""
        spec, rng, today = self.spec, self.rng, self.today
        survey = self.t_survey.add(
            municipality_id=muni,
            title="Zufriedenheit mit dem Bürgerbüro",
            kind=SurveyKind.CITIZEN,
            status=SurveyStatus.OPEN,
            intro="Wie zufrieden sind Sie?",
            service_id=None,
            guideline_id=None,
            opens_on=today - dt.timedelta(days=30),
            closes_on=None,
            min_group_size=5,
            requires_code=False,
            retention_days=180,
        )
        questions = [
            self.t_q.add(
                municipality_id=muni,
                survey_id=survey,
                order=q,
                text=f"Wie zufrieden sind Sie mit Aspekt {q + 1}?",
                kind=QuestionKind.SCALE_5,
                low_label="gar nicht",
                high_label="sehr",
                required=q == 0,
                core_key="",
                statement_id=None,
            )
            for q in range(spec.questions)
        ]
        wave = self.t_wave.add(
            municipality_id=muni,
            survey_id=survey,
            label=f"{today.year}-1",
            status=WaveStatus.OPEN,
            opened_on=today - dt.timedelta(days=30),
            closed_on=None,
            response_count=spec.responses,
            raw_purged_on=None,
        )
        for _r in range(spec.responses):
            # Formerly the day of submission (responses have no time any more); still drawn,
            # so a seed keeps giving the same data.
            rng.randint(0, 29)
            response = self.t_resp.add(
                id=_uuid(rng),
                municipality_id=muni,
                wave_id=wave,
                location_id=None,
                unit_id=None,
            )
            for q in questions:
                self.t_ans.add(
                    id=_uuid(rng),
                    municipality_id=muni,
                    response_id=response,
                    question_id=q,
                    value=rng.randint(1, 5),
                    text="",
                )

    def benchmark(self, muni: int, first_indicator: int | None) -> None:
        """The municipality's shared indicator and its benchmark values, one per period."""
        shared = self.t_shared.add(
            municipality_id=muni, definition_id=self.definition_id, indicator_id=first_indicator
        )
        self.t_shared_nets.add(sharedindicator_id=shared, network_id=self.network_id)
        for period in self.periods:
            self.t_value.add(
                municipality_id=muni,
                definition_id=self.definition_id,
                period=period,
                value=(value := Decimal(f"{self.rng.uniform(0.5, 4.0):.2f}")),
                allow_naming=(naming := self.rng.random() < 0.5),
                published_value=value,
                published_allow_naming=naming,
            )

    def counts(self) -> dict[str, int]:
        return {
            "municipalities": self.t_muni.count,
            "users": self.t_user.count,
            "memberships": self.t_member.count,
            "units": self.t_unit.count,
            "plans": self.t_plan.count,
            "action_fields": self.t_field.count,
            "initiatives": self.t_ini.count,
            "milestones": self.t_ms.count,
            "indicators": self.t_ind.count,
            "measurements": self.t_meas.count,
            "surveys": self.t_survey.count,
            "questions": self.t_q.count,
            "waves": self.t_wave.count,
            "responses": self.t_resp.count,
            "answers": self.t_ans.count,
            "networks": self.t_net.count,
            "shared_indicators": self.t_shared.count,
            "benchmark_values": self.t_value.count,
        }


def parse_scales(text: str) -> list[str]:
    names = [s.strip().upper() for s in text.split(",") if s.strip()]
    unknown = [s for s in names if s not in SCALES]
    if unknown or not names:
        raise ValueError(
            f"Unbekannte Skala „{', '.join(unknown) or text}“; möglich: {', '.join(SCALES)}."
        )
    return names
