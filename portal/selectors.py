"""Reads for the core records and the public site."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from django.db.models import Q, QuerySet

from portal.models import Customer


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
    return (
        queryset.annotate(
            place_in_group=Window(
                RowNumber(), partition_by=[F(group_by)], order_by=ordering
            )
        )
        .filter(place_in_group__lte=limit)
        .order_by(group_by, *order_by)
    )
