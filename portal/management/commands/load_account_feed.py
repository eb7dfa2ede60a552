"""Load the billing system's accounts and monthly bills from CSV files (the
same rules as PUT /api/v1/accounts/{number} and /bills)."""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError
from django.db import transaction

from pydantic import ValidationError as SchemaError

from portal.management.base import AuditedCommand
from portal.models import UtilityAccount
from portal.schemas_accounts import AccountFeedIn, BillIn
from portal.services_accounts import Bill, account_sync, billing_periods_sync

ACCOUNT_COLUMNS = [
    "number",
    "customer_name",
    "customer_email",
    "line1",
    "city",
    "state",
    "zip",
    "customer_class",
    "services",
    "status",
    "delinquent_balance",
    "bad_debt",
    "transfer",
]
BILL_COLUMNS = ["account", "period", "amount"]
# schema location → CSV column
SCHEMA_COLUMN = {
    ("customer", "name"): "customer_name",
    ("customer", "email"): "customer_email",
    ("service_address", "line1"): "line1",
    ("service_address", "city"): "city",
    ("service_address", "state"): "state",
    ("service_address", "zip"): "zip",
    ("customer",): "customer_name",
    ("service_address",): "line1",
}
SERVICE_COLUMN = {"customer": "customer_name", "number": "number"}
TRUE = {"true", "yes", "y", "1"}
FALSE = {"false", "no", "n", "0", ""}


class RowError(Exception):
    def __init__(self, line: int, column: str, message: str) -> None:
        super().__init__(f"line {line}, column {column}: {message}")


def _flag(value: str, line: int, column: str) -> bool:
    text = value.strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise RowError(line, column, f"{value!r} is not true or false.")


def _schema_error(error: SchemaError, line: int, columns: dict[Any, str]) -> RowError:
    first = error.errors()[0]
    loc = tuple(str(p) for p in first["loc"] if not isinstance(p, int))
    column = columns.get(loc) or (loc[0] if loc else "?")
    message = str(first["msg"]).removeprefix("Value error, ")
    return RowError(line, column, message)


def _rows(path: Path, columns: list[str]) -> Iterator[tuple[int, dict[str, str]]]:
    path = Path(path)  # call_command passes the option as given
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise CommandError(f"Can't read {path}: {exc.strerror}.") from None
    with handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        missing = [c for c in columns if c not in header and c != "transfer"]
        if missing:
            raise CommandError(f"{path.name}: missing column(s) {', '.join(missing)}.")
        extra = [c for c in header if c not in columns]
        if extra:
            raise CommandError(f"{path.name}: unknown column(s) {', '.join(extra)}.")
        for row in reader:
            if None in row:
                raise RowError(reader.line_num, "?", "more cells than columns.")
            yield reader.line_num, {k: (v or "") for k, v in row.items()}


class Command(AuditedCommand):
    help = (
        "Load accounts and monthly bills from the billing system's CSV files. "
        "--accounts FILE columns: number, customer_name, customer_email, line1, "
        "city, state, zip, customer_class (residential|commercial), services "
        "(';'-separated: electric;gas;water;sewer), status "
        "(active|inactive|closed), delinquent_balance (1234.50), bad_debt "
        "(true|false), transfer (true|false, optional). --bills FILE columns: "
        "account, period (YYYY-MM), amount. Each file is one transaction: a bad "
        "row stops it with the line and column, and nothing from it is stored."
    )

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument("--accounts", type=Path, help="accounts CSV file")
        parser.add_argument("--bills", type=Path, help="bills CSV file")

    def run(self, *args: Any, **options: Any) -> None:
        if not options["accounts"] and not options["bills"]:
            raise CommandError("Give --accounts FILE, --bills FILE or both.")
        try:
            if options["accounts"]:
                self._load_accounts(options["accounts"])
            if options["bills"]:
                self._load_bills(options["bills"])
        except RowError as error:
            raise CommandError(str(error)) from None
        except PermissionDenied as refused:
            raise CommandError(str(refused)) from None

    @transaction.atomic
    def _load_accounts(self, path: Path) -> None:
        actor = self.acting_user()
        created = updated = 0
        for line, row in _rows(path, ACCOUNT_COLUMNS):
            data = {
                "customer": {
                    "name": row["customer_name"],
                    "email": row["customer_email"],
                },
                "service_address": {
                    "line1": row["line1"],
                    "city": row["city"],
                    "state": row["state"],
                    "zip": row["zip"],
                },
                "customer_class": row["customer_class"].strip(),
                "services": [
                    s.strip() for s in row["services"].split(";") if s.strip()
                ],
                "status": row["status"].strip(),
                "delinquent_balance": row["delinquent_balance"],
                "bad_debt": _flag(row["bad_debt"], line, "bad_debt"),
                "transfer": _flag(row.get("transfer", ""), line, "transfer"),
            }
            try:
                feed = AccountFeedIn.model_validate(data)
            except SchemaError as error:
                raise _schema_error(error, line, SCHEMA_COLUMN) from None
            try:
                _, was_created = account_sync(
                    actor=actor,
                    number=row["number"].strip(),
                    customer_name=feed.customer.name,
                    customer_email=feed.customer.email,
                    line1=feed.service_address.line1,
                    city=feed.service_address.city,
                    state=feed.service_address.state,
                    postal_code=feed.service_address.zip,
                    customer_class=feed.customer_class,
                    services=feed.services,
                    status=feed.status,
                    delinquent_balance=feed.delinquent_balance,
                    bad_debt=feed.bad_debt,
                    transfer=feed.transfer,
                )
            except ValidationError as error:
                field, messages = next(iter(_messages(error).items()))
                raise RowError(
                    line, SERVICE_COLUMN.get(field, field), messages[0]
                ) from None
            created += was_created
            updated += not was_created
        self.stdout.write(f"Accounts: {created} created, {updated} checked or updated.")

    @transaction.atomic
    def _load_bills(self, path: Path) -> None:
        actor = self.acting_user()
        by_account: dict[str, list[tuple[int, Bill]]] = defaultdict(list)
        for line, row in _rows(path, BILL_COLUMNS):
            try:
                bill = BillIn.model_validate(
                    {"period": row["period"].strip(), "amount": row["amount"]}
                )
            except SchemaError as error:
                raise _schema_error(error, line, {}) from None
            number = row["account"].strip()
            by_account[number].append(
                (line, Bill(period_start=bill.month_start(), amount=bill.amount))
            )
        total = 0
        for number, items in by_account.items():
            try:
                _, count = billing_periods_sync(
                    actor=actor, number=number, bills=[bill for _, bill in items]
                )
            except UtilityAccount.DoesNotExist as missing:
                raise RowError(items[0][0], "account", str(missing)) from None
            except ValidationError as error:
                key, messages = next(iter(_messages(error).items()))
                index, _, column = key.partition(".")
                line = items[int(index)][0] if index.isdigit() else items[0][0]
                raise RowError(line, column or "period", messages[0]) from None
            total += count
        self.stdout.write(f"Bills: {total} received for {len(by_account)} account(s).")


def _messages(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return error.message_dict
    return {"__all__": list(error.messages)}
