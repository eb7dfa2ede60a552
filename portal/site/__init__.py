"""The public site's own views and helpers (content lives in Wagtail pages,
portal/models/pages.py): the loan calculator, the contact form, search, the
anonymous page cache. The customer area is portal/customer."""
