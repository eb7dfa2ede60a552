from portal.models.controls import ApprovalLimit, ApprovalLimitChange
from portal.models.core import (
    BillingPeriod,
    Correspondence,
    Customer,
    Document,
    Note,
    Property,
    UtilityAccount,
)
from portal.models.office import OfficeSettings
from portal.models.online import OnlineApplication, OnlineApplicationKind
from portal.models.pages import ArticlePage, FAQItem, FAQPage, HomePage, ProgramPage

__all__ = [
    "ApprovalLimit",
    "ApprovalLimitChange",
    "ArticlePage",
    "BillingPeriod",
    "Correspondence",
    "Customer",
    "Document",
    "FAQItem",
    "FAQPage",
    "HomePage",
    "Note",
    "OnlineApplication",
    "OnlineApplicationKind",
    "OfficeSettings",
    "ProgramPage",
    "Property",
    "UtilityAccount",
]
