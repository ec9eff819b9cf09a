"""Helpers for the tests, benchmarks and scripts: app servers, browsers and synthetic digits. Not shipped."""
