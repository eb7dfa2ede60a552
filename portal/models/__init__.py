from portal.models.controls import ApprovalLimit
from portal.models.core import (
    BillingPeriod,
    Correspondence,
    Customer,
    Document,
    Note,
    Property,
    UtilityAccount,
)
from portal.models.pages import ArticlePage, FAQItem, FAQPage, HomePage, ProgramPage

__all__ = [
    "ApprovalLimit",
    "ArticlePage",
    "BillingPeriod",
    "Correspondence",
    "Customer",
    "Document",
    "FAQItem",
    "FAQPage",
    "HomePage",
    "Note",
    "ProgramPage",
    "Property",
    "UtilityAccount",
]
