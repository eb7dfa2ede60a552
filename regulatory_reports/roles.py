"""Reports permissions per role (merged into the roles by portal.roles):
supervisors prepare and review, and keep the GL account codes; the
auditor reads every version and the codes."""

ROLE_PERMISSIONS = {
    "Supervisor": [
        "regulatory_reports.view_reportrun",
        "regulatory_reports.view_reportfile",
        "regulatory_reports.prepare_report",
        "regulatory_reports.review_report",
        "regulatory_reports.view_glaccount",
        "regulatory_reports.add_glaccount",
        "regulatory_reports.change_glaccount",
    ],
    "Auditor": [
        "regulatory_reports.view_reportrun",
        "regulatory_reports.view_reportfile",
        "regulatory_reports.view_glaccount",
    ],
}
