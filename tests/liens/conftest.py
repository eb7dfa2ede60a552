"""Liens and deposits tests: shared fixtures live in each part's own helper module."""
