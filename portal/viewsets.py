"""Back-office screens for the core records (Wagtail ModelViewSets).

Financial and customer records are never deleted or copied from the admin:
`AuditedViewSet` turns off the copy view and refuses the delete permission,
and every list row and edit page links to the record's full audit history.
"""

from __future__ import annotations

import functools
from typing import Any

from django import forms
from django.contrib.auth.models import Group
from django.db.models import F, Func, TextField
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html

from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import Button, ButtonWithDropdown, HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from portal.choices import ApprovalAction
from portal.document_views import admin_document_url
from portal.forms import DocumentMetadataForm, DocumentUploadForm
from portal.models import (
    ApprovalLimit,
    ApprovalLimitChange,
    Correspondence,
    Customer,
    Document,
    Note,
    Property,
    UtilityAccount,
)
from portal.money import MoneyFormField
from portal.services import (
    approval_limit_change_propose,
    customer_create,
    customer_update,
    document_upload,
    utility_account_create,
    utility_account_update,
)
from portal.transitions import open_actions

NEVER = frozenset({"delete"})
# Facts once posted (payments, batches, checks, ledger lines): looked at and
# acted on through their services, never edited through a model form.
READ_ONLY = frozenset({"add", "change", "delete"})


class NoDeletePermissionPolicy(ModelPermissionPolicy):
    """Records that the audit trail depends on are never deleted from the admin
    (and, for read-only records, never added or edited there either)."""

    def __init__(self, model: Any, never: frozenset[str] = NEVER) -> None:
        super().__init__(model)
        self.never = never

    def user_has_permission(self, user: Any, action: str) -> bool:
        return action not in self.never and super().user_has_permission(user, action)

    def user_has_any_permission(self, user: Any, actions: Any) -> bool:
        return super().user_has_any_permission(user, set(actions) - self.never)

    def user_has_permission_for_instance(
        self, user: Any, action: str, instance: Any
    ) -> bool:
        return action not in self.never and super().user_has_permission_for_instance(
            user, action, instance
        )

    def users_with_any_permission(self, actions: Any) -> Any:
        return super().users_with_any_permission(set(actions) - self.never)


def _model_fields(form: Any) -> dict[str, Any]:
    """A model form's cleaned values, without many-to-many fields."""
    opts = form._meta.model._meta
    concrete = {f.name for f in opts.concrete_fields}
    return {k: v for k, v in form.cleaned_data.items() if k in concrete}


def history_url(instance: Any) -> str:
    opts = instance._meta
    return reverse("audit_history", args=[opts.app_label, opts.model_name, instance.pk])


class TextColumn(Column):
    """Wagtail's plain Column, its cell written directly rather than through
    a template per cell (twenty rows of seven cells were a third of a list
    page's CPU). Same markup and the same value: localized and escaped as
    `{{ value }}` would be."""

    def render_cell_html(self, instance: Any, parent_context: Any) -> Any:
        from django.utils.formats import localize
        from django.utils.html import conditional_escape
        from django.utils.safestring import mark_safe

        if self.cell_template_name != Column.cell_template_name:
            return super().render_cell_html(instance, parent_context)
        value = self.get_value(instance)
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(localize(value, use_l10n=False))  # as Column does
        if not str(value).strip():
            value = self.empty_value_display
        text = "" if value is None else conditional_escape(localize(value))
        classname = format_html(' class="{}"', self.classname) if self.classname else ""
        return mark_safe(f"<td{classname}>{text}</td>")  # noqa: S308 - escaped above


class MoneyColumn(TextColumn):
    """An amount as $1,234.56 (a dash when there is none): every money column
    of every back-office list."""

    def get_value(self, instance: Any) -> Any:
        from portal.templatetags.portal_format import money_text

        return money_text(super().get_value(instance))


class DayColumn(TextColumn):
    """A date as April 5, 2026 (a dash when there is none)."""

    def get_value(self, instance: Any) -> Any:
        from portal.templatetags.portal_format import day_text

        return day_text(super().get_value(instance))


class KeysFirstPaginator(WagtailPaginator):
    """A page's rows found by their keys first, then read with their joins by
    key: the OFFSET walks only the ordering's index (page 5,000 of the loans
    read 100,000 joined rows to throw them away: a second, now tens of
    milliseconds). Same rows, same order."""

    # A search with at most this many matches sorts them (found through the
    # search's own index) by `sorted_apart`, the list's order written so the
    # order's index can't serve it; see CustomerIndexView.get_paginator.
    FEW = 5000
    sorted_apart: list[Any] | None = None
    # Set by the list's view while it searches (AuditedIndexView): a search
    # usually matches few rows, so their keys are read once, in the list's
    # order, and counted here, instead of a COUNT(*) that runs the search
    # once more (the loan search is a UNION of three trigram look-ups, about
    # 8 ms of the database each time). Past FEW matches, COUNT(*) after all.
    keys_at_once = False
    # Set by a list that can tell its count without counting its rows (the
    # loan list: loans.models.counts); it must return COUNT(*)'s figure.
    counted: Any = None
    # Set by a list while it searches with nothing else narrowing it, in
    # its own order: returns up to FEW + 1 matching keys in that order, read
    # with SQL worked out once (portal.db.precompiled), for all_keys.
    precompiled_keys: Any = None

    def keys_in_order(self, rows: Any) -> Any:
        """The rows in the order their pages are cut from."""
        return rows.order_by(*self.sorted_apart) if self.sorted_apart else rows

    @cached_property
    def all_keys(self) -> list[Any] | None:
        """Every matching key in order, when keys_at_once and there are at
        most FEW of them; otherwise None."""
        from django.db.models import QuerySet

        rows = self.object_list
        if (
            not self.keys_at_once
            or not isinstance(rows, QuerySet)
            or rows.query.combinator
        ):
            return None
        if self.precompiled_keys is not None:
            keys = list(self.precompiled_keys())
        else:
            keys = list(
                self.keys_in_order(rows).values_list("pk", flat=True)[: self.FEW + 1]
            )
        return keys if len(keys) <= self.FEW else None

    @cached_property
    def count(self) -> int:
        if self.counted is not None:
            return int(self.counted())
        keys = self.all_keys
        return len(keys) if keys is not None else super().count

    def page(self, number: Any) -> Any:
        from django.db.models import QuerySet

        rows = self.object_list
        if not isinstance(rows, QuerySet) or rows.query.combinator:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if self.all_keys is not None:
            # A search: its keys, in order, were read with the count.
            keys = self.all_keys[bottom:top]
        else:
            keys = self.page_keys(rows, bottom, top)
        found = {row.pk: row for row in self.rows_by_key(rows, keys)}
        return self._get_page([found[k] for k in keys if k in found], number, self)

    def page_keys(self, rows: Any, bottom: int, top: int) -> list[Any]:
        """The keys of the rows bottom to top in the list's order."""
        if self.sorted_apart and self.count <= self.FEW:
            rows = self.keys_in_order(rows)
        return list(rows.values_list("pk", flat=True)[bottom:top])

    def rows_by_key(self, rows: Any, keys: list[Any]) -> Any:
        """A page's rows, read by key alone (in no particular order)."""
        return rows.order_by().filter(pk__in=keys)


class StencilDropdown(ButtonWithDropdown):
    """A list row's "more" dropdown, rendered through Wagtail's template once
    per page for each set of buttons and then reused for the next rows with
    their own addresses and label put in (twenty dropdowns were a quarter of
    a list page's CPU). The stencil is keyed by everything else the buttons
    carry (kind, label, icon, classes, attributes, order), so rows with other
    buttons get their own; values go in escaped, as the template escapes
    them."""

    def __init__(self, stencils: dict[Any, str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.stencils = stencils

    def _shape(self) -> Any:
        def attrs(button: Any) -> tuple[Any, ...]:
            return tuple(sorted((k, str(v)) for k, v in button.attrs.items()))

        own = {k: v for k, v in self.attrs.items() if k != "aria-label"}
        return (
            self.label,
            self.icon_name,
            self.classname,
            tuple(sorted((k, str(v)) for k, v in own.items())),
            tuple(
                (type(b), str(b.label), b.icon_name, b.classname, attrs(b), b.priority)
                for b in sorted(self.dropdown_buttons)
            ),
        )

    def render_html(self, parent_context: Any = None) -> Any:
        from django.utils.html import conditional_escape
        from django.utils.safestring import mark_safe

        buttons = sorted(self.dropdown_buttons)
        if any(type(b) is not Button for b in buttons) or any(
            not b.url for b in buttons
        ):
            return super().render_html(parent_context)
        shape = self._shape()
        stencil = self.stencils.get(shape)
        if stencil is None:
            blank = ButtonWithDropdown(
                label=self.label,
                icon_name=self.icon_name,
                classname=self.classname,
                attrs={**self.attrs, "aria-label": LABEL_TOKEN},
                buttons=[
                    Button(
                        b.label,
                        url=URL_TOKEN % i,
                        classname=b.classname,
                        icon_name=b.icon_name,
                        attrs=b.attrs,
                        priority=b.priority,
                    )
                    for i, b in enumerate(buttons)
                ],
            )
            stencil = str(blank.render_html(parent_context))
            self.stencils[shape] = stencil
        html = stencil.replace(LABEL_TOKEN, str(conditional_escape(self.aria_label)))
        for i, b in enumerate(buttons):
            html = html.replace(URL_TOKEN % i, str(conditional_escape(b.url)))
        return mark_safe(html)  # noqa: S308 - the template's output, values escaped


LABEL_TOKEN = "portal-stencil-label-7f3a"
URL_TOKEN = "portal-stencil-url-7f3a-%d-"
TITLE_TOKEN = "portal-stencil-title-7f3a"
HREF_TOKEN = "portal-stencil-href-7f3a"
BUTTON_TOKEN = "portal-stencil-button-7f3a-%d-"


class _TokenButton:
    """Stands in for a row's button while its cell's stencil is made."""

    def __init__(self, index: int, show: bool) -> None:
        self.index = index
        self.show = show

    def render_html(self, parent_context: Any = None) -> Any:
        from django.utils.safestring import mark_safe

        return mark_safe(BUTTON_TOKEN % self.index)  # noqa: S308 - a fixed token


class StencilTitleMixin:
    """A list's title cell (link to the record, then the row's buttons)
    rendered through Wagtail's template once per page for each shape, then
    reused for the next rows with their own title, address and buttons put
    in (the cell template was a quarter of a list page's CPU). Same markup:
    the title and the address go in escaped as the template escapes them;
    anything unusual (a title or label id, no link, a non-text title) is
    rendered by the template as before."""

    def render_cell_html(self, instance: Any, parent_context: Any) -> Any:
        from django.utils.html import conditional_escape
        from django.utils.safestring import mark_safe

        context = self.get_cell_context_data(instance, parent_context)  # type: ignore[attr-defined]
        value = context.get("value")
        attrs = context.get("link_attrs") or {}
        if (
            self.cell_template_name != TitleColumn.cell_template_name  # type: ignore[attr-defined]
            or not isinstance(value, str)
            or not value.strip()
            or not context.get("link_url")
            or context.get("title_id")
            or context.get("label_id")
        ):
            return super().render_cell_html(instance, parent_context)  # type: ignore[misc]
        buttons = context.get("buttons") or []
        shape = (
            tuple((k, str(v)) for k, v in sorted(attrs.items()) if k != "href"),
            tuple(bool(b.show) for b in buttons),
        )
        stencils = self.__dict__.setdefault("_stencils", {})
        stencil = stencils.get(shape)
        if stencil is None:
            blank = {
                **context,
                "value": TITLE_TOKEN,
                "link_url": HREF_TOKEN,
                "link_attrs": {**attrs, "href": HREF_TOKEN},
                "buttons": [_TokenButton(i, b.show) for i, b in enumerate(buttons)],
            }
            stencil = str(self.cell_template.render(blank))  # type: ignore[attr-defined]
            stencils[shape] = stencil
        html = stencil.replace(TITLE_TOKEN, str(conditional_escape(value)))
        html = html.replace(HREF_TOKEN, str(conditional_escape(str(attrs["href"]))))
        for i, button in enumerate(buttons):
            if button.show:
                html = html.replace(
                    BUTTON_TOKEN % i, str(button.render_html(parent_context))
                )
        return mark_safe(html)  # noqa: S308 - the template's output, values escaped


def related_list_columns(model: Any, list_display: Any) -> list[str]:
    """The list's columns that show a related record (a foreign key or
    one-to-one on the model), to be read with the rows: a column "customer"
    otherwise reads each row's customer in a query of its own (Django's
    admin does the same for its lists)."""
    names = []
    for column in list_display or ():
        name = column if isinstance(column, str) else getattr(column, "accessor", None)
        if not isinstance(name, str):
            continue
        try:
            field = model._meta.get_field(name)
        except Exception:  # noqa: S112 - a method or property, not a field
            continue
        if field.concrete and (field.many_to_one or field.one_to_one):
            names.append(name)
    return names


# Stands for a row's key in a list page's address stencils (AuditedIndexView).
ROW_KEY = "8675309008675309"


class AuditedIndexView(generic.IndexView):
    paginator_class = KeysFirstPaginator

    def row_url(self, name: str, instance: Any, *before: Any) -> str:
        """reverse(name, args=(*before, key)) for a list row: each address
        is worked out once a page with a stand-in key, which each row's own
        key then replaces (four addresses a row, eighty reverse() calls a
        page). Only for whole-number keys, which reverse() writes as they
        are; any other key is reversed as usual."""
        from django.contrib.admin.utils import quote

        pk = instance.pk
        if not isinstance(pk, int):
            return reverse(name, args=(*before, quote(pk)))
        stencils = self.__dict__.setdefault("_row_url_stencils", {})
        key = (name, *before)
        stencil = stencils.get(key)
        if stencil is None:
            stencil = stencils[key] = reverse(name, args=(*before, ROW_KEY))
        return stencil.replace(ROW_KEY, str(pk))

    def get_edit_url(self, instance: Any) -> str | None:
        if self.edit_url_name and self.user_has_permission("change"):
            return self.row_url(self.edit_url_name, instance)
        return None

    def get_copy_url(self, instance: Any) -> str | None:
        if self.copy_url_name and self.user_has_permission("add"):
            return self.row_url(self.copy_url_name, instance)
        return None

    def get_inspect_url(self, instance: Any) -> str | None:
        if self.inspect_url_name and self.user_has_any_permission(
            {"add", "change", "delete", "view"}
        ):
            return self.row_url(self.inspect_url_name, instance)
        return None

    def get_delete_url(self, instance: Any) -> str | None:
        if self.delete_url_name and self.user_has_permission("delete"):
            return self.row_url(self.delete_url_name, instance)
        return None

    @cached_property
    def filters(self) -> Any:
        filters = super().filters
        if filters is not None:
            # Our lists' filter menus are the same for everyone who sees the
            # list: drawn once a minute (portal.admin_chrome).
            filters.portal_menu_kept = True
        return filters

    def get_paginator(self, queryset: Any, *args: Any, **kwargs: Any) -> Any:
        paginator = super().get_paginator(queryset, *args, **kwargs)
        if isinstance(paginator, KeysFirstPaginator):
            paginator.keys_at_once = self.is_searching
        return paginator

    def chosen_filters(self) -> dict[str, Any] | None:
        """The filters chosen (none: {}), or None when they are not valid."""
        filters = self.filters
        if filters is None:
            return {}
        if not filters.is_valid():
            return None
        return {
            k: v
            for k, v in filters.form.cleaned_data.items()
            if v not in (None, "", [])
        }

    def _get_title_column_class(self, column_class: Any) -> Any:
        column_class = super()._get_title_column_class(column_class)
        if issubclass(column_class, StencilTitleMixin):
            return column_class
        return type(column_class.__name__, (StencilTitleMixin, column_class), {})

    def get_base_queryset(self) -> Any:
        queryset = super().get_base_queryset()
        related = related_list_columns(self.model, self.list_display)
        return queryset.select_related(*related) if related else queryset

    def get_list_buttons(self, instance: Any) -> list[Any]:
        stencils = self.__dict__.setdefault("_dropdown_stencils", {})
        return [
            StencilDropdown(
                stencils,
                buttons=button.dropdown_buttons,
                label=button.label,
                icon_name=button.icon_name,
                classname=button.classname,
                attrs=button.attrs,
                priority=button.priority,
            )
            if type(button) is ButtonWithDropdown
            else button
            for button in super().get_list_buttons(instance)
        ]

    def _get_custom_column(
        self, field_name: str, column_class: Any = Column, **kwargs: Any
    ) -> Any:
        if column_class is Column:
            column_class = TextColumn
        return super()._get_custom_column(field_name, column_class, **kwargs)

    def get_list_more_buttons(self, instance: Any) -> list[Any]:
        buttons = super().get_list_more_buttons(instance)
        opts = instance._meta
        buttons.append(
            Button(
                "Audit history",
                url=self.row_url(
                    "audit_history", instance, opts.app_label, opts.model_name
                ),
                icon_name="history",
                priority=90,
            )
        )
        return buttons


class AuditedEditView(generic.EditView):
    @property
    def header_more_buttons(self) -> list[Any]:
        buttons = super().header_more_buttons
        buttons.append(
            HeaderButton(
                "Audit history",
                url=history_url(self.object),
                icon_name="history",
                priority=90,
            )
        )
        return buttons


class DocumentUploadView(generic.CreateView):
    """Uploads go through the checked upload service, never a bare form save."""

    def save_instance(self) -> Any:
        data = self.form.cleaned_data
        return document_upload(
            actor=self.request.user,
            upload=data["file"],
            document_type=data["document_type"],
            customer=data.get("customer"),
            description=data.get("description", ""),
        )


class ServiceRefusalMixin:
    """A create or edit view whose save calls a service: the service's
    refusal (ValidationError) lands on the form's fields, nothing is saved
    (the view's transaction rolls back) and the page never answers 500."""

    def form_valid(self, form: Any) -> Any:
        from django.core.exceptions import ValidationError

        try:
            return super().form_valid(form)  # type: ignore[misc]
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, messages in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, messages)
            else:
                form.add_error(None, error.messages)
            self.produced_error_code = "validation_error"
            self.produced_error_message = self.get_error_message()  # type: ignore[attr-defined]
            return self.form_invalid(form)  # type: ignore[attr-defined]


class ServiceEditView(ServiceRefusalMixin, AuditedEditView):
    """An edit form whose save goes through the record's service (lock, rule,
    history reason) instead of a bare `form.save()`. Subclasses implement
    `save_through_service(instance, changes)`; a refusal lands on the form."""

    def save_instance(self) -> Any:
        changes = {
            name: self.form.cleaned_data[name]
            for name in self.form.changed_data
            if name in self.form.cleaned_data
        }
        return self.save_through_service(self.form.instance, changes)

    def save_through_service(self, instance: Any, changes: dict[str, Any]) -> Any:
        raise NotImplementedError


class AuditedViewSet(ModelViewSet):
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = AuditedIndexView
    edit_view_class = AuditedEditView
    never_actions = NEVER

    def on_register(self) -> None:
        register_permission_policy(
            self.model, NoDeletePermissionPolicy(self.model, self.never_actions)
        )
        super().on_register()

    def list_queryset(self) -> Any:
        """The list's rows, joined to what its columns show (None: the
        model's default manager). Wagtail's viewset has no get_queryset of
        its own; its index view takes `queryset`."""
        return None

    def get_index_view_kwargs(self, **kwargs: Any) -> Any:
        if (queryset := self.list_queryset()) is not None:
            kwargs.setdefault("queryset", queryset)
        return super().get_index_view_kwargs(**kwargs)


class ReadOnlyViewSet(AuditedViewSet):
    """List, inspect and history only: the record changes through services."""

    never_actions = READ_ONLY
    # Wagtail builds the add/edit views' form even though nobody may reach them.
    exclude_form_fields: list[str] = []


# --------------------------------------------------------------------------
# The core records' pages: customer, account and property. A list row opens
# the record's page, which shows its neighbours with links, and what the
# other apps keep about it (their panels: portal.panels.RECORD_PANELS_HOOK).
# --------------------------------------------------------------------------


class RecordIndexView(AuditedIndexView):
    """A list whose rows open the record's page (its neighbours, with Edit
    among its buttons) rather than its edit form."""

    def _get_title_column(
        self, field_name: str, column_class: Any = None, **kwargs: Any
    ) -> Any:
        from wagtail.admin.ui.tables import TitleColumn

        column_class = self._get_title_column_class(column_class or TitleColumn)
        return self._get_custom_column(
            field_name, column_class, get_url=self.get_inspect_url, **kwargs
        )


class RelatedObjectMixin:
    """An inspect view that reads the record with the rows its page links to
    (`related`, for select_related) in one query."""

    related: tuple[str, ...] = ()

    def get_object(self, queryset: Any = None) -> Any:
        from django.contrib.admin.utils import unquote
        from django.http import Http404

        model = self.model  # type: ignore[attr-defined]
        try:
            key = int(unquote(str(self.pk)))  # type: ignore[attr-defined]
        except ValueError:
            raise Http404(f"No {model._meta.verbose_name} has that number.") from None
        found = _record_read(model, self.related)(key)
        if not found:
            raise Http404(f"No {model._meta.verbose_name} has that number.")
        return found[0]


@functools.cache
def _record_read(model: Any, related: tuple[str, ...]) -> Any:
    """A record with its related rows by key, compiled once per process
    (portal.db.precompiled)."""
    from portal.db.precompiled import Precompiled

    return Precompiled(
        lambda key: model._default_manager.select_related(*related).filter(pk=key)
    )


class RecordInspectView(RelatedObjectMixin, generic.InspectView):
    """A core record's page. Subclasses name the related rows read with the
    record (`related`) and read its neighbours (`neighbours()`), each kind in
    one query, so the page's query count does not grow with the record's
    history."""

    def get_page_title(self) -> str:
        from django.utils.text import capfirst

        return capfirst(self.model._meta.verbose_name)

    @property
    def header_more_buttons(self) -> list[Any]:
        buttons = list(super().header_more_buttons)
        buttons.append(
            HeaderButton(
                "Audit history",
                url=history_url(self.object),
                icon_name="history",
                priority=90,
            )
        )
        return buttons

    def get_fields_context(self) -> list[Any]:
        return []  # the page's template lays out the record itself

    def neighbours(self) -> dict[str, Any]:
        return {}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from portal.panels import record_panels

        context = super().get_context_data(**kwargs)
        context.update(
            record=self.object,
            history_url=history_url(self.object),
            panels=record_panels(self.request, self.object),
            **self.neighbours(),
        )
        return context


class CustomerInspectView(RecordInspectView):
    """The whole story of a customer on one screen: accounts, properties,
    loan applications, loans (status and balance), rebate applications,
    documents, correspondence and notes."""

    template_name = "portal/admin/customer_inspect.html"
    related = ("user",)

    def neighbours(self) -> dict[str, Any]:
        from portal.selectors import customer_neighbours

        customer = self.object
        city = " ".join(
            part
            for part in [
                f"{customer.mailing_city}," if customer.mailing_city else "",
                customer.mailing_state,
                customer.mailing_postal_code,
            ]
            if part
        )
        mailing = [customer.mailing_line1, customer.mailing_line2, city]
        return {
            "mailing": [line for line in mailing if line],
            **customer_neighbours(customer, self.request.user),
        }


class AccountInspectView(RecordInspectView):
    template_name = "portal/admin/account_inspect.html"
    related = ("customer", "service_property", "account_manager")

    def neighbours(self) -> dict[str, Any]:
        from portal.choices import Service
        from portal.selectors import account_neighbours

        account = self.object
        return {
            "services": [
                label for value, label in Service.choices if value in account.services
            ],
            **account_neighbours(account, self.request.user),
        }


class PropertyInspectView(RecordInspectView):
    template_name = "portal/admin/property_inspect.html"

    def neighbours(self) -> dict[str, Any]:
        from portal.selectors import property_neighbours

        return property_neighbours(self.object, self.request.user)


class CustomerCreateView(ServiceRefusalMixin, generic.CreateView):
    def save_instance(self) -> Any:
        return customer_create(
            actor=self.request.user,
            reason="Customer entered in the back office",
            **_model_fields(self.form),
        )


class CustomerEditView(ServiceEditView):
    def save_through_service(self, instance: Any, changes: dict[str, Any]) -> Any:
        return customer_update(
            actor=self.request.user,
            customer=instance,
            reason="Customer details changed in the back office",
            **changes,
        )


class CustomerSearchText(Func):
    """What the customer search reads, as one text: names, e-mail, phone and
    mailing address joined by spaces (so "Ada Lovelace" finds first and last
    name together). On PostgreSQL its UPPER() has a trigram index (portal
    migration 0006); keep the columns in that migration's order."""

    template = "(%(expressions)s)"
    arg_joiner = " || ' ' || "
    output_field = TextField()

    COLUMNS = (
        "first_name",
        "last_name",
        "business_name",
        "email",
        "phone",
        "mailing_line1",
    )

    def __init__(self) -> None:
        super().__init__(*(F(column) for column in self.COLUMNS))


def customers_matching(text: str, customers: Any = None) -> Any:
    """Customers whose names, e-mail, phone or address contain the text
    (any case), through the search text's trigram index on PostgreSQL."""
    customers = Customer.objects.all() if customers is None else customers
    return customers.alias(search_text=CustomerSearchText()).filter(
        search_text__icontains=text
    )


class CustomerIndexView(RecordIndexView):
    def search_queryset(self, queryset: Any) -> Any:
        if not self.is_searching:
            return queryset
        return customers_matching(self.search_query, queryset)

    def get_paginator(self, queryset: Any, *args: Any, **kwargs: Any) -> Any:
        """A search in the list's own order (by name) with few matches: the
        matches are found through the trigram index and sorted. Left to
        itself PostgreSQL walks the name order's index and tests every
        customer until it has a page: "Garcia" tested the 25,000 customers
        named A to G first (130 ms, against 10 ms). The columns are never
        NULL, so NULLS FIRST is the same order, one the index can't give."""
        paginator = super().get_paginator(queryset, *args, **kwargs)
        if self.is_searching and not queryset.query.order_by:
            paginator.sorted_apart = customers_sorted_apart()
            if self.chosen_filters() == {}:
                # Nothing else narrows it: its keys are read with SQL worked
                # out once (portal.db.precompiled).
                text = self.search_query
                paginator.precompiled_keys = lambda: _customer_search_keys()(text)
        return paginator


def customers_sorted_apart() -> list[Any]:
    """The customers' own order (by name), written so that no index serves
    it (see CustomerIndexView.get_paginator)."""
    return [
        F(name[1:]).desc(nulls_first=True)
        if name.startswith("-")
        else F(name).asc(nulls_first=True)
        for name in Customer._meta.ordering or ()
        if isinstance(name, str)
    ]


@functools.cache
def _customer_search_keys() -> Any:
    """A customer search's keys in the list's order, up to one more than the
    paginator sorts at once."""
    from portal.db.precompiled import Precompiled

    return Precompiled(
        lambda text: (
            customers_matching(text)
            .order_by(*customers_sorted_apart())
            .values_list("pk", flat=True)[: KeysFirstPaginator.FEW + 1]
        ),
        keys=(str,),
    )


class CustomerViewSet(AuditedViewSet):
    add_view_class = CustomerCreateView
    edit_view_class = CustomerEditView
    index_view_class = CustomerIndexView
    inspect_view_class = CustomerInspectView
    name = "customers"
    model = Customer
    icon = "user"
    menu_label = "Customers"
    add_to_admin_menu = False
    list_display = [
        "display_name",
        "kind",
        "email",
        "phone",
        TextColumn("created_at", label="Since"),
    ]
    list_filter = ["kind", "age_verified", "disability_verified", "income_verified"]
    # Searched as one text (CustomerSearchText), which adds the address.
    search_fields = ["first_name", "last_name", "business_name", "email", "phone"]
    form_fields = [
        "kind",
        "first_name",
        "last_name",
        "business_name",
        "email",
        "phone",
        "mailing_line1",
        "mailing_line2",
        "mailing_city",
        "mailing_state",
        "mailing_postal_code",
        "date_of_birth",
        "age_verified",
        "disability_verified",
        "household_size",
        "household_income",
        "income_verified",
        "income_verified_on",
    ]


class AccountCreateView(ServiceRefusalMixin, generic.CreateView):
    def save_instance(self) -> Any:
        return utility_account_create(
            actor=self.request.user, **_model_fields(self.form)
        )


class AccountEditView(ServiceEditView):
    def save_through_service(self, instance: Any, changes: dict[str, Any]) -> Any:
        return utility_account_update(
            actor=self.request.user,
            account=instance,
            reason="Account changed in the back office",
            **changes,
        )


class UtilityAccountViewSet(AuditedViewSet):
    add_view_class = AccountCreateView
    edit_view_class = AccountEditView
    index_view_class = RecordIndexView
    inspect_view_class = AccountInspectView
    name = "accounts"
    model = UtilityAccount
    icon = "home"
    menu_label = "Utility accounts"
    list_display = [
        "number",
        "customer",
        "customer_class",
        "status",
        "delinquent_balance",
        "turned_to_bad_debt",
    ]
    list_filter = [
        "customer_class",
        "status",
        "turned_to_bad_debt",
        "has_electric",
        "has_gas",
        "has_water",
        "has_sewer",
    ]
    search_fields = [
        "number",
        "line1",
        "customer__last_name",
        "customer__business_name",
    ]
    form_fields = [
        "number",
        "customer",
        "service_property",
        "line1",
        "line2",
        "city",
        "state",
        "postal_code",
        "customer_class",
        "has_electric",
        "has_gas",
        "has_water",
        "has_sewer",
        "status",
        "opened_on",
        # delinquent_balance and turned_to_bad_debt come from the billing
        # system's feed; the list and inspect pages show them.
        "account_manager",
    ]


class PropertyViewSet(AuditedViewSet):
    index_view_class = RecordIndexView
    inspect_view_class = PropertyInspectView
    name = "properties"
    model = Property
    icon = "site"
    menu_label = "Properties"
    list_display = ["parcel_id", "line1", "city"]
    search_fields = ["parcel_id", "line1", "legal_description"]
    form_fields = [
        "parcel_id",
        "legal_description",
        "line1",
        "line2",
        "city",
        "state",
        "postal_code",
        "owners",
    ]


class DocumentInspectView(RelatedObjectMixin, generic.InspectView):
    related = ("customer", "uploaded_by")

    def get_customer_display_value(self) -> Any:
        """The customer's name, linking to their page."""
        customer = self.object.customer
        if customer is None:
            return "—"
        if not self.request.user.has_perm("portal.view_customer"):
            return str(customer)
        return format_html(
            '<a href="{}">{}</a>',
            reverse("customers:inspect", args=[customer.pk]),
            customer,
        )

    def get_file_display_value(self) -> Any:
        # Through the checked view: the private storage has no URL.
        return format_html(
            '<a href="{}">Open {}</a>',
            admin_document_url(self.object),
            self.object.original_name,
        )


class DocumentViewSet(AuditedViewSet):
    name = "customer_documents"
    model = Document
    icon = "doc-full"
    menu_label = "Customer documents"
    inspect_view_class = DocumentInspectView
    list_display = [
        "original_name",
        TitleColumn(
            "open_file",
            label="File",
            accessor=lambda d: "Open",
            get_url=admin_document_url,
        ),
        "document_type",
        "customer",
        "content_type",
        "uploaded_at",
    ]
    list_filter = ["document_type", "content_type"]
    search_fields = ["original_name", "description", "customer__last_name"]
    add_view_class = DocumentUploadView

    def get_form_class(self, for_update: bool = False) -> Any:
        return DocumentMetadataForm if for_update else DocumentUploadForm


class CorrespondenceViewSet(AuditedViewSet):
    name = "correspondence"
    model = Correspondence
    icon = "mail"
    menu_label = "Correspondence"
    list_display = ["subject", "customer", "channel", "sent_at"]
    list_filter = ["channel"]
    search_fields = ["subject", "customer__last_name", "customer__business_name"]
    form_fields = ["customer", "account", "channel", "subject", "body", "sent_at"]


class NoteViewSet(AuditedViewSet):
    name = "notes"
    model = Note
    icon = "comment"
    menu_label = "Notes"
    list_display = ["text", "content_type", "author", "created_at"]
    list_filter = ["content_type"]
    search_fields = ["text"]
    form_fields = ["text"]


class ApprovalLimitViewSet(ReadOnlyViewSet):
    """The limits in force. They change only through an approved
    ApprovalLimitChange (four-eyes on the four-eyes limits)."""

    name = "approval_limits"
    model = ApprovalLimit
    icon = "lock"
    menu_label = "Approval limits"
    add_to_settings_menu = True
    list_display = ["group", "action", "max_amount"]
    list_filter = ["action", "group"]


class LimitChangeForm(forms.Form):
    group = forms.ModelChoiceField(queryset=Group.objects.order_by("name"))
    action = forms.ChoiceField(choices=ApprovalAction.choices)
    new_amount = MoneyFormField(label="New limit (dollars and cents)")
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))


class FormCreateView(generic.CreateView):
    """A create view whose form is a plain form (not a model form): the
    service it calls makes the record. Subclasses set `plain_form_class`
    (the viewset passes its model form as `form_class`, which is not used)."""

    plain_form_class: Any = None

    def get_form_class(self) -> Any:
        return self.plain_form_class

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        kwargs.pop("for_user", None)
        return kwargs


class LimitChangeCreateView(ServiceRefusalMixin, FormCreateView):
    plain_form_class = LimitChangeForm

    def save_instance(self) -> Any:
        data = self.form.cleaned_data
        return approval_limit_change_propose(
            actor=self.request.user,
            group=data["group"],
            action=data["action"],
            new_amount=data["new_amount"],
            reason=data["reason"],
        )


class LimitChangeInspectView(generic.InspectView):
    template_name = "portal/admin/limit_change_inspect.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        change = self.object
        context["change"] = change
        context["actions"] = open_actions(change, self.request.user, change.ACTIONS)
        context["history_url"] = history_url(change)
        return context


class ApprovalLimitChangeViewSet(AuditedViewSet):
    name = "approval_limit_changes"
    model = ApprovalLimitChange
    icon = "lock-open"
    menu_label = "Approval limit changes"
    add_to_settings_menu = True
    add_view_class = LimitChangeCreateView
    inspect_view_class = LimitChangeInspectView
    # Proposed through the service; decided on the inspect page; never edited.
    never_actions = frozenset({"change", "delete"})
    list_display = [
        "group",
        "action",
        "previous_amount",
        "new_amount",
        "status",
        "proposed_by",
        "proposed_at",
    ]
    list_filter = ["status", "action", "group"]
    form_fields = ["group", "action", "new_amount", "reason"]


class CoreRecordsGroup(ModelViewSetGroup):
    menu_label = "Customers & accounts"
    menu_icon = "group"
    menu_order = 100
    items = [
        CustomerViewSet,
        UtilityAccountViewSet,
        PropertyViewSet,
        DocumentViewSet,
        CorrespondenceViewSet,
        NoteViewSet,
    ]
