from django.core.exceptions import ImproperlyConfigured

import pytest

from portal.env import env_bool, env_int, env_list, env_str


def test_a_malformed_boolean_is_refused_naming_the_variable(monkeypatch):
    monkeypatch.setenv("SECURE_SSL_REDIRECT", "maybe")
    with pytest.raises(ImproperlyConfigured, match="SECURE_SSL_REDIRECT must be true"):
        env_bool("SECURE_SSL_REDIRECT")


def test_a_malformed_number_is_refused(monkeypatch):
    monkeypatch.setenv("SECURE_HSTS_SECONDS", "a year")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("SECURE_HSTS_SECONDS", 0)


def test_a_required_variable_must_be_present(monkeypatch):
    monkeypatch.delenv("DJANGO_SECRET_KEY", raising=False)
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY is required"):
        env_str("DJANGO_SECRET_KEY")


def test_lists_are_comma_separated(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", "loans.example.gov, www.example.gov")
    assert env_list("ALLOWED_HOSTS") == ["loans.example.gov", "www.example.gov"]


def test_production_settings_refuse_to_start_without_a_secret_key(monkeypatch):
    import importlib
    import sys

    monkeypatch.delenv("DJANGO_SECRET_KEY", raising=False)
    sys.modules.pop("portal.settings.production", None)
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY"):
        importlib.import_module("portal.settings.production")
