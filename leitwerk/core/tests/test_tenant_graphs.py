"""Random object graphs across 2–4 municipalities (catalogue row A10).

Hypothesis draws, per municipality, goal fields → goals, plans → action fields → Vorhaben →
milestones, indicators → measurements, with Vorhaben linked to some of the goals, and one
person per municipality in a drawn role. Properties:

1. every list and detail selector a page reads through returns, for a person of X, only rows
   of X – every model instance reachable from the result (prefetches, attributes the selector
   attaches, nested lists and dataclasses) is checked, not only the top level;
2. the detail selectors answer 404 for every row of another municipality;
3. `TenantModel.clean()` refuses every foreign-key link from a row of X to a row of another
   municipality.

Default run: a few examples; `-m slow`: many more (CI on PostgreSQL).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.query import QuerySet
from django.http import Http404
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leitwerk.accounts.tests.factories import UserFactory
from leitwerk.controlling.selectors import dashboard_for_user, my_updates_for_user
from leitwerk.controlling.tests.factories import MeasurementFactory
from leitwerk.core.models import TenantModel
from leitwerk.goals.selectors import (
    goal_field_get_for_user,
    goal_field_list_for_user,
    goal_get_for_user,
)
from leitwerk.goals.tests.factories import GoalFactory, GoalFieldFactory
from leitwerk.municipalities.models import Role
from leitwerk.municipalities.tests.factories import (
    MembershipFactory,
    MunicipalityFactory,
    OrganisationalUnitFactory,
)
from leitwerk.plans.models import ActionPlan, Initiative, Milestone
from leitwerk.plans.selectors import initiative_get_for_user, plan_get_for_user, plan_list_for_user
from leitwerk.plans.tests.factories import (
    ActionFieldFactory,
    ActionPlanFactory,
    IndicatorFactory,
    InitiativeFactory,
    MilestoneFactory,
)

TODAY = dt.date(2026, 6, 1)
# Roles that may read the municipality's plans and goals (a project lead sees their own too).
ROLES = [r.value for r in Role]

small = st.integers(min_value=0, max_value=2)


@st.composite
def town_shape(draw):
    return {
        "role": draw(st.sampled_from(ROLES)),
        "goal_fields": draw(st.lists(small, max_size=2)),  # goals per field
        "plans": draw(
            st.lists(  # per plan: action fields, each with Vorhaben (milestones, indicators)
                st.lists(st.lists(st.tuples(small, small, small), max_size=2), max_size=2),
                max_size=2,
            )
        ),
        "goal_links": draw(st.integers(min_value=0, max_value=3)),
    }


graphs = st.lists(town_shape(), min_size=2, max_size=4)


def _build(index: int, shape: dict) -> dict:
    m = MunicipalityFactory(name=f"Stadt {index}", slug=f"stadt-{index}")
    unit = OrganisationalUnitFactory(municipality=m, name=f"FB {index}")
    user = UserFactory(email=f"person-{index}@stadt-{index}.test")
    MembershipFactory(
        user=user,
        municipality=m,
        role=shape["role"],
        unit=unit if shape["role"] == Role.UNIT_EDITOR else None,
    )
    goals = []
    for per_field in shape["goal_fields"]:
        field = GoalFieldFactory(municipality=m)
        goals += [GoalFactory(municipality=m, goal_field=field) for _ in range(per_field)]
    for fields in shape["plans"]:
        plan = ActionPlanFactory(municipality=m)
        for initiatives in fields:
            action_field = ActionFieldFactory(municipality=m, plan=plan)
            for milestones, indicators, measurements in initiatives:
                initiative = InitiativeFactory(
                    municipality=m, action_field=action_field, lead_unit=unit
                )
                if shape["role"] == Role.PROJECT_LEAD:
                    initiative.responsible_people.add(user)
                initiative.goals.add(*goals[: shape["goal_links"]])
                for n in range(milestones):
                    MilestoneFactory(
                        municipality=m, initiative=initiative, due_date=TODAY + dt.timedelta(n - 1)
                    )
                for _ in range(indicators):
                    indicator = IndicatorFactory(municipality=m, initiative=initiative)
                    for n in range(measurements):
                        MeasurementFactory(
                            municipality=m,
                            indicator=indicator,
                            value=10 * n,
                            measured_on=TODAY - dt.timedelta(30 * n),
                        )
    return {"municipality": m, "user": user}


def reachable(root, limit: int = 20000) -> list[TenantModel]:
    """Every TenantModel instance reachable from a selector's result, without new queries."""
    found, seen, stack = [], set(), [root]
    while stack and len(seen) < limit:
        value = stack.pop()
        if id(value) in seen or value is None or isinstance(value, (str, bytes, int, float)):
            continue
        seen.add(id(value))
        if isinstance(value, models.Model):
            if isinstance(value, TenantModel):
                found.append(value)
            stack.extend(v for k, v in vars(value).items() if k != "_state")
            stack.extend(value._state.fields_cache.values())
            for cached in getattr(value, "_prefetched_objects_cache", {}).values():
                stack.append(cached)
        elif isinstance(value, QuerySet):
            stack.extend(value._result_cache if value._result_cache is not None else list(value))
        elif isinstance(value, dict):
            stack.extend(value.values())
            stack.extend(k for k in value if isinstance(k, models.Model))
        elif isinstance(value, (list, tuple, set, frozenset)):
            stack.extend(value)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            stack.extend(getattr(value, f.name) for f in dataclasses.fields(value))
    return found


def _results_for(user, municipality) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = [
        (
            "goal_field_list_for_user",
            list(goal_field_list_for_user(user=user, municipality=municipality)),
        ),
        (
            "plan_list_for_user",
            plan_list_for_user(user=user, municipality=municipality, today=TODAY),
        ),
        (
            "dashboard_for_user",
            dashboard_for_user(user=user, municipality=municipality, today=TODAY),
        ),
        (
            "my_updates_for_user",
            my_updates_for_user(user=user, municipality=municipality, today=TODAY),
        ),
    ]
    detail = [
        (plan_get_for_user, ActionPlan),
        (initiative_get_for_user, Initiative),
    ]
    for selector, model in detail:
        for pk in model.objects.filter(municipality=municipality).values_list("pk", flat=True):
            try:
                out.append(
                    (
                        selector.__name__,
                        selector(user=user, municipality=municipality, pk=pk, today=TODAY),
                    )
                )
            except Http404:
                pass  # a role without the right: missing and forbidden look alike
    for selector, model in [
        (goal_field_get_for_user, "goals.GoalField"),
        (goal_get_for_user, "goals.Goal"),
    ]:
        from django.apps import apps

        for pk in (
            apps.get_model(model)
            .objects.filter(municipality=municipality)
            .values_list("pk", flat=True)
        ):
            try:
                out.append(
                    (selector.__name__, selector(user=user, municipality=municipality, pk=pk))
                )
            except Http404:
                pass
    return out


def _foreign_details_404(user, municipality) -> list[str]:
    from django.apps import apps

    problems = []
    for selector, label, extra in [
        (plan_get_for_user, "plans.ActionPlan", {"today": TODAY}),
        (initiative_get_for_user, "plans.Initiative", {"today": TODAY}),
        (goal_field_get_for_user, "goals.GoalField", {}),
        (goal_get_for_user, "goals.Goal", {}),
    ]:
        for pk in (
            apps.get_model(label)
            .objects.exclude(municipality=municipality)
            .values_list("pk", flat=True)
        ):
            try:
                selector(user=user, municipality=municipality, pk=pk, **extra)
            except Http404:
                continue
            problems.append(f"{selector.__name__}({label} {pk}) answered for {municipality.slug}")
    return problems


# Links checked by TenantModel.clean(): child model, foreign-key field.
LINKS = [
    ("goals.Goal", "goal_field"),
    ("plans.ActionField", "plan"),
    ("plans.Initiative", "action_field"),
    ("plans.Initiative", "lead_unit"),
    ("plans.Milestone", "initiative"),
    ("plans.Indicator", "initiative"),
    ("plans.Measurement", "indicator"),
]


def _cross_links_refused(towns) -> tuple[int, list[str]]:
    from django.apps import apps

    checked, problems = 0, []
    for label, field_name in LINKS:
        model = apps.get_model(label)
        target_model = model._meta.get_field(field_name).related_model
        for child in model.objects.all():
            foreign = target_model.objects.exclude(municipality=child.municipality_id).first()
            if foreign is None:
                continue
            setattr(child, field_name, foreign)
            checked += 1
            try:
                child.clean()
            except ValidationError as error:
                if field_name not in error.message_dict:
                    problems.append(f"{label}.{field_name}: refused, but not on the field")
                continue
            problems.append(f"{label}.{field_name}: link to {foreign.municipality_id} accepted")
    return checked, problems


def check_graph(shapes) -> None:
    with transaction.atomic():
        towns = [_build(i, shape) for i, shape in enumerate(shapes)]
        problems = []
        for town in towns:
            m, user = town["municipality"], town["user"]
            for name, result in _results_for(user, m):
                for row in reachable(result):
                    if row.municipality_id != m.pk:
                        problems.append(
                            f"{name} for {m.slug} ({user.memberships.first().role}) returned "
                            f"{row._meta.label} {row.pk} of municipality {row.municipality_id}"
                        )
            problems += _foreign_details_404(user, m)
        _checked, link_problems = _cross_links_refused(towns)
        problems += link_problems
        transaction.set_rollback(True)
    assert not problems, "\n".join(sorted(set(problems))[:30])


COMMON = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    "derandomize": False,
}


@pytest.mark.django_db
@settings(max_examples=4, **COMMON)
@given(shapes=graphs)
def test_selectors_return_only_own_rows_and_clean_refuses_cross_links(shapes):
    check_graph(shapes)


@pytest.mark.slow
@pytest.mark.django_db
@settings(max_examples=150, **COMMON)
@given(shapes=graphs)
def test_selectors_return_only_own_rows_many_graphs(shapes):
    check_graph(shapes)


@pytest.mark.django_db
def test_the_walk_finds_nested_rows_and_foreign_links_are_seen(django_db_blocker):
    """The property can fail: a planted foreign row inside a result is found, and a
    cross-tenant link is reported by clean()."""
    shape = {"role": Role.ADMIN, "goal_fields": [1], "plans": [[[(1, 1, 1)]]], "goal_links": 1}
    with transaction.atomic():
        a, b = _build(0, shape), _build(1, shape)
        page = plan_get_for_user(
            user=a["user"],
            municipality=a["municipality"],
            pk=ActionPlan.objects.get(municipality=a["municipality"]).pk,
            today=TODAY,
        )
        labels = {row._meta.label for row in reachable(page)}
        assert {"plans.ActionPlan", "plans.ActionField", "plans.Initiative"} <= labels
        page.plan.planted = [Milestone.objects.get(municipality=b["municipality"])]
        assert any(r.municipality_id == b["municipality"].pk for r in reachable(page))
        checked, problems = _cross_links_refused([a, b])
        assert checked >= len(LINKS) and problems == []
        transaction.set_rollback(True)
