"""One trigram index over everything the customer search reads (PostgreSQL
only), and the customer list's order as an index (every database).

The customer list searches one text: first name, last name, business name,
e-mail, phone and mailing address joined by spaces
(portal.viewsets.CustomerSearchText). On PostgreSQL that is
UPPER(first_name || ' ' || ... ) LIKE UPPER('%text%'), which this GIN index
serves; five LIKEs OR'ed over the per-column indexes of 0004 made the planner
read the whole table (240 ms at 100,000 customers, against 3 ms here). The
expression must stay the one CustomerSearchText writes (a test checks the
plan uses it).

The list's order (Customer.Meta.ordering: last name, first name, business
name, id) had no index: every page sorted all the customers (410 ms for the
last page at 100,000). The index is made here rather than in the model's
Meta so this migration alone carries the list's indexes.
"""

from django.db import migrations

# The order CustomerSearchText joins them in.
COLUMNS = [
    "first_name",
    "last_name",
    "business_name",
    "email",
    "phone",
    "mailing_line1",
]
NAME = "cust_search_text_trgm"
ORDER = "cust_list_order"
ORDER_COLUMNS = ["last_name", "first_name", "business_name", "id"]


def add_index(apps, schema_editor):
    quote = schema_editor.quote_name
    schema_editor.execute(
        f"CREATE INDEX {quote(ORDER)} ON {quote('portal_customer')} "
        f"({', '.join(quote(column) for column in ORDER_COLUMNS)})"
    )
    if schema_editor.connection.vendor != "postgresql":
        return
    text = " || ' ' || ".join(quote(column) for column in COLUMNS)
    schema_editor.execute(
        f"CREATE INDEX {quote(NAME)} ON {quote('portal_customer')} "
        f"USING gin ((UPPER(({text}))) gin_trgm_ops)"
    )


def remove_index(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(ORDER)}")
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(NAME)}")


class Migration(migrations.Migration):
    dependencies = [("portal", "0006_arrangement_approval_kind")]

    operations = [migrations.RunPython(add_index, remove_index)]
