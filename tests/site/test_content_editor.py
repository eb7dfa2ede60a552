"""The Content editor role can add, edit and publish pages under the home
page (drafts and revisions come with edit), and a page scheduled to go live
later is not live until Wagtail's publish_scheduled runs."""

import io
from datetime import timedelta

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from wagtail.models import Page

import pytest
import time_machine

from portal import roles
from portal.models import FAQPage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def eddie(db):
    user = UserFactory(username="eddie")
    user.groups.add(Group.objects.get(name=roles.CONTENT_EDITOR))
    return user


def test_a_content_editor_may_add_edit_and_publish_under_the_home_page(eddie, home):
    perms = home.permissions_for_user(eddie)
    assert perms.can_add_subpage()
    assert perms.can_edit()
    assert perms.can_publish()
    assert perms.can_publish_subpage()


def test_a_content_editor_reaches_the_back_office(eddie):
    assert eddie.has_perm("wagtailadmin.access_admin")


def test_someone_without_the_role_may_not_edit_pages(home, staff_alice):
    perms = home.permissions_for_user(staff_alice)
    assert not perms.can_edit() and not perms.can_publish()


def test_a_draft_keeps_the_live_page_until_it_is_published(
    eddie, home, add_page, client
):
    faq = add_page(home, FAQPage(title="Questions", slug="faq"))
    faq.title = "Draft title"
    faq.save_revision(user=eddie)
    assert "Draft title" not in client.get(faq.url).content.decode()
    faq.get_latest_revision().publish(user=eddie)
    assert "Draft title" in client.get(faq.url).content.decode()
    # The demo helper's first revision and the editor's, kept for comparison.
    assert faq.revisions.count() == 2


def test_a_scheduled_page_goes_live_only_when_publish_scheduled_runs(eddie, home):
    go_live = timezone.now() + timedelta(hours=1)
    page = FAQPage(title="Winter questions", slug="winter", live=False)
    home.add_child(instance=page)
    page.go_live_at = go_live
    # "Publish" with a future go-live date schedules the revision.
    page.save_revision(user=eddie).publish(user=eddie)
    page.refresh_from_db()
    assert not page.live

    call_command("publish_scheduled", stdout=io.StringIO())
    page.refresh_from_db()
    assert not page.live  # not yet time

    with time_machine.travel(go_live + timedelta(minutes=1), tick=False):
        call_command("publish_scheduled", stdout=io.StringIO())
    page.refresh_from_db()
    assert page.live
    assert Page.objects.live().filter(pk=page.pk).exists()
