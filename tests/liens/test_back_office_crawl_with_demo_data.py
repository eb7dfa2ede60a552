"""Every Liens & deposits screen a supervisor or a staff member can reach from
the lists renders with the demo data: lists, record pages, forms and
confirmation pages answer 200 (or a redirect), never a 500."""

import io
import re
from urllib.parse import urljoin, urlparse

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

import pytest

pytestmark = pytest.mark.django_db

LISTS = [
    "liens:index",
    "lien_payoff_requests:index",
    "subordination_requests:index",
    "subordination_rules:index",
    "deposit_instruments:index",
    "deposit_claims:index",
    "liens_adequacy_reviews",
    "liens_adequacy_follow_ups",
    "liens_adequacy_policy",
    "liens_deposit_decisions",
    "liens_adequacy_review_run",
    "subordination_new",
    "deposit_instrument_new",
    "liens_deposit_decision_propose",
]
# The liens app's own admin paths: crawl these, and only by GET.
OURS = re.compile(
    r"^/admin/(liens|lien|subordination|deposit|adequacy|lenders|payoff)[-_a-z]*/"
)
LINK = re.compile(r'href="([^"#?]+)"')


def crawl(client, limit=300):
    seen: set[str] = set()
    queue = [reverse(name) for name in LISTS]
    problems = []
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code not in (200, 302):
            problems.append((url, response.status_code))
            continue
        if response.status_code != 200 or "html" not in response["Content-Type"]:
            continue
        for href in LINK.findall(response.content.decode()):
            path = urlparse(urljoin(url, href)).path
            if OURS.match(path) and "/delete/" not in path and path not in seen:
                queue.append(path)
    return seen, problems


def history_rows():
    from django.apps import apps

    from simple_history.models import HistoricalChanges

    return {
        model.__name__: model._default_manager.count()
        for model in apps.get_app_config("liens").get_models()
        if issubclass(model, HistoricalChanges)
    }


@pytest.fixture
def demo():
    call_command("load_demo_data", "--allow-without-debug", stdout=io.StringIO())


@pytest.mark.parametrize("username", ["bob", "alice"])
def test_every_liens_screen_reachable_from_the_lists_renders(client, demo, username):
    client.force_login(get_user_model().objects.get(username=username))
    before = history_rows()
    assert before and sum(before.values()) > 0
    seen, problems = crawl(client)
    assert problems == []
    # Opening a form or a confirmation page never acts.
    assert history_rows() == before
    # Lists and record pages of every part were reached, not just the lists.
    for part in ("liens", "subordination", "deposit", "adequacy"):
        assert sum(part in url for url in seen) >= 2, (part, sorted(seen))
