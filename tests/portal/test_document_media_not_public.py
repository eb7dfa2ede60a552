"""In development (DEBUG) the server answers /media/ only for Wagtail's
public pictures (original_images/, images/). Customer documents have no
/media/ URL at all, and Wagtail's own documents go through its serve view."""

import importlib.util
import sys
from pathlib import Path

from django.core.files.base import ContentFile

import pytest

from portal.services import document_upload
from tests.factories import CustomerFactory
from tests.factories.files import pdf_bytes, upload

pytestmark = pytest.mark.django_db

DEV_URLCONF = "tests_portal_dev_urlconf"


@pytest.fixture
def dev_urls(settings, media):
    """portal/urls.py as it is built with DEBUG on (a fresh copy of the
    module, so the URLconf the other tests use is left alone), serving the
    test's MEDIA_ROOT."""
    settings.DEBUG = True
    spec = importlib.util.spec_from_file_location(
        DEV_URLCONF, importlib.util.find_spec("portal.urls").origin
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[DEV_URLCONF] = module
    spec.loader.exec_module(module)
    settings.ROOT_URLCONF = DEV_URLCONF
    yield module
    del sys.modules[DEV_URLCONF]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    for folder in ["original_images", "images", "documents"]:
        (tmp_path / folder).mkdir()
    (tmp_path / "original_images" / "river.png").write_bytes(b"png original")
    (tmp_path / "images" / "river.width-400.png").write_bytes(b"png rendition")
    (tmp_path / "documents" / "board-minutes.pdf").write_bytes(b"cms document")
    return tmp_path


def test_wagtail_originals_and_renditions_are_served_in_development(
    client, dev_urls, media
):
    original = client.get("/media/original_images/river.png")
    rendition = client.get("/media/images/river.width-400.png")
    assert (original.status_code, b"".join(original.streaming_content)) == (
        200,
        b"png original",
    )
    assert (rendition.status_code, b"".join(rendition.streaming_content)) == (
        200,
        b"png rendition",
    )


def test_a_customer_documents_stored_path_is_not_a_media_url(
    client, dev_urls, media, staff_alice
):
    document = document_upload(
        actor=staff_alice,
        upload=upload("deed.pdf", pdf_bytes(), "application/pdf"),
        document_type="deed",
        customer=CustomerFactory(),
    )
    # Even a copy placed under MEDIA_ROOT by mistake is not served.
    misplaced = Path(media) / document.file.name
    misplaced.parent.mkdir(parents=True, exist_ok=True)
    misplaced.write_bytes(b"leaked")
    assert client.get(f"/media/{document.file.name}").status_code == 404


def test_wagtail_documents_are_not_served_from_media(client, dev_urls, media):
    assert client.get("/media/documents/board-minutes.pdf").status_code == 404


def test_an_image_folder_url_cannot_climb_into_other_media(client, dev_urls, media):
    # Each image folder is its own root: Django refuses the climb as a
    # suspicious path (400) instead of serving the document.
    climb = client.get("/media/images/../documents/board-minutes.pdf")
    encoded = client.get("/media/images/%2e%2e/documents/board-minutes.pdf")
    assert (climb.status_code, encoded.status_code) == (400, 400)


def test_the_dev_media_patterns_cover_only_the_image_folders(dev_urls):
    media_patterns = [
        str(p.pattern) for p in dev_urls.urlpatterns if "media" in str(p.pattern)
    ]
    assert media_patterns == [
        "^media/original_images/(?P<path>.+)$",
        "^media/images/(?P<path>.+)$",
    ]


def test_without_debug_nothing_under_media_is_routed(client, media):
    assert client.get("/media/original_images/river.png").status_code == 404


def test_wagtail_documents_link_to_wagtails_serve_view(client, settings, media):
    from wagtail.documents.models import Document as CmsDocument

    assert settings.WAGTAILDOCS_SERVE_METHOD == "serve_view"
    cms = CmsDocument(title="Annual report")
    cms.file.save("annual-report.pdf", ContentFile(b"report"), save=True)
    assert cms.url == f"/documents/{cms.pk}/annual-report.pdf"
    response = client.get(cms.url)
    assert (response.status_code, b"".join(response.streaming_content)) == (
        200,
        b"report",
    )
