"""The customer area of the public site (/account/): linking a utility
account, applying online, My applications and My loans.

Every page here is for one logged-in customer and shows only that customer's
records: views go through `portal.customer.access` (log-in, the customer
record, `Cache-Control: no-store`) and look objects up *through* the
customer, so someone else's object is a 404, never a 403.

Rooms: access.py (who may see what), forms_*.py, services.py (the
customer's own actions), selectors.py (reads), views_*.py and urls_*.py per
part (accounts, apply, applications, loans), joined in urls.py.
"""
