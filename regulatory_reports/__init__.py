"""Regulatory and management reports: the PSC zero-interest loan guarantee
report and every management report, as report runs (kind + period + frozen
figures + files + status) with a four-eyes filing workflow."""
