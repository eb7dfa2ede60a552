"""Reads for the core records and the public site."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db.models import Q, QuerySet

from portal.db.precompiled import Precompiled
from portal.models import (
    Correspondence,
    Customer,
    Document,
    Property,
    UtilityAccount,
)

R = TypeVar("R")


def customer_list(*, search: str = "") -> QuerySet[Customer]:
    customers = Customer.objects.all()
    if search:
        customers = customers.filter(
            Q(last_name__icontains=search)
            | Q(first_name__icontains=search)
            | Q(business_name__icontains=search)
            | Q(email__icontains=search)
            | Q(accounts__number=search)
        ).distinct()
    return customers


def faq_topics(page: Any, query: str = "") -> OrderedDict[str, list[Any]]:
    """The page's questions grouped by topic (in page order), filtered by words
    of `query` found in the question, answer or topic."""
    items = page.questions.all()
    for word in query.split():
        items = items.filter(
            Q(question__icontains=word)
            | Q(answer__icontains=word)
            | Q(topic__icontains=word)
        )
    topics: OrderedDict[str, list[Any]] = OrderedDict()
    for item in items.order_by("sort_order", "pk"):
        topics.setdefault(item.topic, []).append(item)
    return topics


def record_history(instance: Any) -> list[dict[str, Any]]:
    """History rows of a record, newest first, each with the fields it changed."""
    records = list(
        instance.history.select_related("history_user").order_by(
            "-history_date", "-history_id"
        )
    )
    rows = []
    for index, record in enumerate(records):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            changes = [
                {"field": c.field, "old": c.old, "new": c.new} for c in delta.changes
            ]
        rows.append({"record": record, "changes": changes})
    return rows


# --- reads for the back office's pages ---


def first_per_group(
    queryset: QuerySet[Any], *, group_by: str, order_by: list[str], limit: int
) -> QuerySet[Any]:
    """The first `limit` rows of each group (rows with the same `group_by`),
    in `order_by` order, in one query (a window function), so a dashboard
    shows the oldest few of every step without a query per step."""
    from django.db.models import F, Window
    from django.db.models.functions import RowNumber

    ordering = [
        F(name[1:]).desc() if name.startswith("-") else F(name).asc()
        for name in order_by
    ]
    firsts: QuerySet[Any] = (
        queryset.annotate(
            place_in_group=Window(
                RowNumber(), partition_by=[F(group_by)], order_by=ordering
            )
        )
        .filter(place_in_group__lte=limit)
        .order_by(group_by, *order_by)
    )
    return firsts


@dataclass(frozen=True)
class WorkflowStep(Generic[R]):
    """One step of a workflow: how many records are at it and the oldest few
    of them."""

    status: str
    label: str
    count: int
    applications: list[R]


def by_workflow_step(
    records: QuerySet[Any],
    *,
    statuses: Sequence[str],
    labels: Mapping[str, Any],
    order_by: list[str],
    limit: int,
) -> list[WorkflowStep[Any]]:
    """`records` by step (in `statuses` order, steps with none left out), the
    oldest `limit` of each first. Two queries: the counts, and the oldest few
    of every step at once (first_per_group)."""
    from django.db.models import Count

    counts = dict(
        records.order_by()
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    by_status: dict[str, list[Any]] = {}
    for record in first_per_group(
        records, group_by="status", order_by=order_by, limit=limit
    ):
        by_status.setdefault(record.status, []).append(record)
    return [
        WorkflowStep(s, str(labels[s]), counts[s], by_status.get(s, []))
        for s in statuses
        if counts.get(s)
    ]


def notes_about(records: list[Any]) -> list[Any]:
    """Staff notes on any of these records (of any models), newest first,
    each with `about`: the record it is on. One query."""
    from django.contrib.contenttypes.models import ContentType

    from portal.models import Note

    if not records:
        return []
    types = ContentType.objects.get_for_models(*{type(r) for r in records})
    by_key = {(types[type(r)].pk, str(r.pk)): r for r in records}
    match = Q(pk__in=[])
    for model, content_type in types.items():
        ids = [str(r.pk) for r in records if type(r) is model]
        match |= Q(content_type=content_type, object_id__in=ids)
    notes = list(Note.objects.filter(match).select_related("author"))
    for note in notes:
        setattr(note, "about", by_key.get((note.content_type_id, note.object_id)))  # noqa: B010
    return notes


# The customer page's reads, each compiled once per process
# (portal.db.precompiled): the same SQL for every customer.
_CUSTOMER_READS = {
    "accounts": Precompiled(
        lambda key: UtilityAccount.objects.filter(customer_id=key).select_related(
            "service_property", "account_manager"
        )
    ),
    "properties": Precompiled(lambda key: Property.objects.filter(owners__id=key)),
    "documents": Precompiled(
        lambda key: Document.objects.filter(customer_id=key).select_related(
            "uploaded_by"
        )
    ),
    "correspondence": Precompiled(
        lambda key: Correspondence.objects.filter(customer_id=key).select_related(
            "account", "sent_by"
        )
    ),
}


def customer_neighbours(customer: Customer, user: Any) -> dict[str, Any]:
    """Everything the core knows around a customer, for the customer's page:
    accounts, properties, documents, correspondence and notes (on the
    customer, its accounts and properties). Only what the user may see is
    read; one query per kind, however many there are."""
    reads = _CUSTOMER_READS

    def may(model_name: str) -> bool:
        return bool(user.has_perm(f"portal.view_{model_name}"))

    def about_customer(rows: list[Any]) -> list[Any]:
        for row in rows:
            row.customer = customer  # as customer.<related manager> would
        return rows

    found: dict[str, Any] = {}
    accounts: list[Any] = []
    properties: list[Any] = []
    if may("utilityaccount"):
        accounts = about_customer(reads["accounts"](customer.pk))
        found["accounts"] = accounts
    if may("property"):
        properties = reads["properties"](customer.pk)
        found["properties"] = properties
    if may("document"):
        found["documents"] = about_customer(reads["documents"](customer.pk))
    if may("correspondence"):
        found["correspondence"] = about_customer(reads["correspondence"](customer.pk))
    if may("note"):
        found["notes"] = notes_about([customer, *accounts, *properties])
    return found


def account_neighbours(account: Any, user: Any) -> dict[str, Any]:
    """Around a utility account: its last twelve billing months, the
    correspondence about it and the notes on it."""
    from portal.models import Correspondence

    found: dict[str, Any] = {}
    if user.has_perm("portal.view_billingperiod"):
        found["billing_months"] = list(
            account.billing_periods.order_by("-period_start")[:12]
        )
    if user.has_perm("portal.view_correspondence"):
        found["correspondence"] = list(
            Correspondence.objects.filter(account=account).select_related("sent_by")
        )
    if user.has_perm("portal.view_note"):
        found["notes"] = notes_about([account])
    return found


def property_neighbours(parcel: Any, user: Any) -> dict[str, Any]:
    """Around a property: its owners, the accounts serving it, its notes."""
    found: dict[str, Any] = {}
    if user.has_perm("portal.view_customer"):
        found["owners"] = list(parcel.owners.all())
    if user.has_perm("portal.view_utilityaccount"):
        found["accounts"] = list(parcel.accounts.select_related("customer"))
    if user.has_perm("portal.view_note"):
        found["notes"] = notes_about([parcel])
    return found


# --- the audit history in words ---


def is_money_field(field: Any) -> bool:
    """Money columns: django-money's MoneyField, and the house's amount
    columns (14 digits, 2 decimals: loans' amount_field, rebate amounts).
    Rates, percentages and quantities have other shapes."""
    from django.db import models

    from djmoney.models.fields import MoneyField

    return isinstance(field, MoneyField) or bool(
        isinstance(field, models.DecimalField)
        and field.max_digits == 14
        and field.decimal_places == 2
    )


def _who(user: Any) -> str:
    """Who acted, for the audit trail: the full name and the log-in (names
    are not unique; log-ins are)."""
    from portal.templatetags.portal_format import person_text

    if user is None:
        return "(unattributed)"
    name, login = person_text(user), user.get_username()
    return name if name == login else f"{name} ({login})"


def record_history_in_words(instance: Any) -> list[dict[str, Any]]:
    """The record's history, newest first, as a person reads it: who by full
    name, what changed by the field's label, values in words (choices by
    their label, money as $1,234.56, dates in the one date format, related
    records by name, users by full name). Related records are read once per
    related model, however long the history is."""
    from django.contrib.auth import get_user_model
    from django.db import models
    from django.utils.text import capfirst

    from portal.templatetags.portal_format import (
        NOTHING,
        day_text,
        moment_text,
        money_text,
        person_text,
    )

    model = type(instance)
    records = list(
        instance.history.select_related("history_user").order_by(
            "-history_date", "-history_id"
        )
    )
    deltas = []
    for index, record in enumerate(records):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None and record.history_type == "~":
            changes = record.diff_against(previous).changes
        deltas.append((record, changes))

    # Which related records the changes name, per related model.
    wanted: dict[Any, set[Any]] = {}

    def target(field: Any) -> tuple[Any, str | None]:
        """(related model, key of its id in an m2m through row)."""
        if field.many_to_many:
            return field.related_model, field.m2m_reverse_field_name()
        return field.related_model, None

    fields = {}
    for _record, changes in deltas:
        for change in changes:
            field = model._meta.get_field(change.field)
            fields[change.field] = field
            if not field.is_relation:
                continue
            related, key = target(field)
            for value in (change.old, change.new):
                named = [row[key] for row in value or []] if key else [value]
                wanted.setdefault(related, set()).update(
                    i for i in named if i is not None
                )
    names: dict[tuple[Any, Any], str] = {}
    users = get_user_model()
    for related, ids in wanted.items():
        for pk, obj in related._base_manager.in_bulk(list(ids)).items():
            names[(related, pk)] = (
                person_text(obj) if issubclass(related, users) else str(obj)
            )

    def words(field: Any, value: Any) -> str:
        if value is None or value == "" or value == []:
            return NOTHING
        if field.is_relation:
            related, key = target(field)
            ids = [row[key] for row in value] if key else [value]
            return ", ".join(
                names.get((related, pk), f"#{pk} (no longer exists)") for pk in ids
            )
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(field, models.BooleanField):
            return "Yes" if value else "No"
        if is_money_field(field):
            return money_text(value)
        if isinstance(field, models.DateTimeField):
            return moment_text(value)
        if isinstance(field, models.DateField):
            return day_text(value)
        if isinstance(value, list):
            return ", ".join(str(item) for item in value)
        return str(value)

    order = {f.name: i for i, f in enumerate(model._meta.get_fields())}
    what = {"+": "Created", "~": "Changed", "-": "Deleted"}
    rows = []
    for record, changes in deltas:
        rows.append(
            {
                "record": record,
                "when": moment_text(record.history_date),
                "who": _who(record.history_user),
                "what": what.get(record.history_type, "Changed"),
                "why": record.history_change_reason or "",
                "changes": [
                    {
                        "label": capfirst(fields[c.field].verbose_name),
                        "old": words(fields[c.field], c.old),
                        "new": words(fields[c.field], c.new),
                    }
                    for c in sorted(changes, key=lambda c: order.get(c.field, 0))
                ],
            }
        )
    return rows
