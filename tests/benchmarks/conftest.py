"""Benchmarks measure; they are not part of the default run.

Run them with: BENCHMARKS=1 python3 run.py test tests/benchmarks -s
"""

import os

import pytest


def pytest_collection_modifyitems(config, items):
    if os.environ.get("BENCHMARKS") == "1":
        return
    skip = pytest.mark.skip(reason="benchmark: set BENCHMARKS=1 to run")
    for item in items:
        if "benchmarks" in item.nodeid.split("/"):
            item.add_marker(skip)
