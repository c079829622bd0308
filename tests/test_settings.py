import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from hagen_isek.env import database_config, env_bool, env_int, env_list, with_statement_timeout

ROOT = Path(__file__).resolve().parent.parent
STRONG_KEY = "k" * 20 + "3f9a-Zq81-x0Lm-77pp-hagen-isek-production-key-0001"


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "raw, expected", [("true", True), ("0", False), ("Yes", True), ("off", False)]
)
def test_env_bool_reads_common_words(monkeypatch, raw, expected):
    monkeypatch.setenv("X_FLAG", raw)
    assert env_bool("X_FLAG", not expected) is expected


def test_env_bool_rejects_malformed_value_naming_the_variable(monkeypatch):
    monkeypatch.setenv("DJANGO_DEBUG", "vielleicht")
    with pytest.raises(ImproperlyConfigured, match="DJANGO_DEBUG"):
        env_bool("DJANGO_DEBUG", False)


def test_env_int_rejects_words(monkeypatch):
    monkeypatch.setenv("EMAIL_PORT", "fünfundzwanzig")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT"):
        env_int("EMAIL_PORT", 25)


def test_env_list_splits_and_rejects_empty_entries(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "a.example, b.example")
    assert env_list("DJANGO_ALLOWED_HOSTS", []) == ["a.example", "b.example"]
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "a.example,,b")
    with pytest.raises(ImproperlyConfigured, match="DJANGO_ALLOWED_HOSTS"):
        env_list("DJANGO_ALLOWED_HOSTS", [])


def test_postgres_url_is_parsed_with_persistent_connections():
    config = database_config("postgres://portal:s%40cret@db.example:5433/isek", base_dir=ROOT)
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["PASSWORD"]) == ("isek", "portal", "s@cret")
    assert (config["HOST"], config["PORT"]) == ("db.example", "5433")
    assert config["CONN_MAX_AGE"] > 0


def test_sqlite_url_relative_and_absolute():
    assert database_config("sqlite:///var/db.sqlite3", base_dir=ROOT)["NAME"] == str(
        ROOT / "var" / "db.sqlite3"
    )
    assert database_config("sqlite:////srv/x.sqlite3", base_dir=ROOT)["NAME"] == "/srv/x.sqlite3"


@pytest.mark.parametrize(
    "url", ["mysql://x/y", "postgres://host/", "sqlite://", "postgres://h:port/x"]
)
def test_malformed_database_url_is_refused(url):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        database_config(url, base_dir=ROOT)


def test_production_without_secret_key_exits_with_clear_message():
    result = run_manage("check", DJANGO_DEBUG="false")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_malformed_variable_stops_start_up_naming_it():
    result = run_manage("check", DJANGO_DEBUG="kaputt")
    assert result.returncode != 0
    assert "DJANGO_DEBUG='kaputt' is not a boolean" in result.stderr


def test_deploy_check_passes_with_production_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=STRONG_KEY,
        DJANGO_ALLOWED_HOSTS="beteiligung.hagen.de",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_are_strict():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE,"
        " s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS >= 31536000,"
        " s.LANGUAGE_CODE, s.TIME_ZONE)",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=STRONG_KEY,
        DJANGO_ALLOWED_HOSTS="x.example",
    )
    assert result.stdout.strip().splitlines()[-1].split() == [
        "True",
        "True",
        "True",
        "True",
        "de",
        "Europe/Berlin",
    ]


def test_postgres_connection_gives_up_after_the_connect_timeout():
    config = database_config("postgres://portal@db.example/isek", base_dir=ROOT, connect_timeout=4)
    assert config["OPTIONS"]["connect_timeout"] == "4"


def test_web_statement_timeout_is_added_to_the_postgres_options():
    config = database_config("postgres://portal@db.example/isek", base_dir=ROOT)
    with_statement_timeout(config, 20)
    assert config["OPTIONS"]["options"] == "-c jit=off -c statement_timeout=20000"
    sqlite = database_config("sqlite:///var/db.sqlite3", base_dir=ROOT)
    with_statement_timeout(sqlite, 20)
    assert "OPTIONS" not in sqlite
