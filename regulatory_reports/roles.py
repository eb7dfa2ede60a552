"""Reports permissions per role (merged into the roles by portal.roles):
supervisors prepare and review; the auditor reads every version."""

ROLE_PERMISSIONS = {
    "Supervisor": [
        "regulatory_reports.view_reportrun",
        "regulatory_reports.view_reportfile",
        "regulatory_reports.prepare_report",
        "regulatory_reports.review_report",
    ],
    "Auditor": [
        "regulatory_reports.view_reportrun",
        "regulatory_reports.view_reportfile",
    ],
}
