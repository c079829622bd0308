"""Typed readers for environment variables; malformed values stop start-up with a clear message."""

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean; use one of: true, false, 1, 0, yes, no, on, off."
    )


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} must be at least {minimum}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return list(default)
    items = [item.strip() for item in raw.split(",")]
    if any(not item for item in items):
        raise ImproperlyConfigured(f"{name}={raw!r} has an empty entry; separate values by commas.")
    return items


def env_site_url(name: str, default: str) -> str:
    """The portal's public address (scheme, host, optional port), without a trailing slash."""
    raw = env_str(name) or default
    parts = urlsplit(raw)
    if parts.scheme not in {"http", "https"} or not parts.netloc or parts.path.strip("/"):
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not a site address; use e.g. https://beteiligung.hagen.de "
            "or http://127.0.0.1:8000 (scheme and host, no path)."
        )
    return f"{parts.scheme}://{parts.netloc}"


def database_config(url: str, *, base_dir: Path, connect_timeout: int = 5) -> dict:
    """DATABASES['default'] from postgres://user:pw@host:port/name or sqlite:///path."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = unquote(parts.path)
        if parts.netloc or not path or path == "/":
            raise ImproperlyConfigured(
                f"DATABASE_URL={url!r}: write sqlite:///relative/path.sqlite3 or "
                "sqlite:////absolute/path.sqlite3."
            )
        # sqlite:///var/db.sqlite3 is relative to the project, sqlite:////tmp/db is absolute.
        name = Path(path[1:])
        if not name.is_absolute():
            name = base_dir / name
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(name)}
    if parts.scheme in {"postgres", "postgresql", "pgsql"}:
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ImproperlyConfigured(f"DATABASE_URL={url!r} names no database after the host.")
        try:
            port = parts.port
        except ValueError:
            raise ImproperlyConfigured(f"DATABASE_URL={url!r} has an invalid port.") from None
        options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        # PostgreSQL's JIT compiles every query the planner deems expensive: 1.4 s before the
        # first row of the 100,000-row export, and pages never gain from it.
        options.setdefault("options", "-c jit=off")
        # A database that does not answer (host down, server frozen) fails the connection after
        # a few seconds, so the request gets its 503 instead of hanging until gunicorn's timeout.
        options.setdefault("connect_timeout", str(connect_timeout))
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(port or ""),
            "OPTIONS": options,
            # A new authenticated connection per request halves throughput.
            "CONN_MAX_AGE": 60,
            # No SELECT 1 before each request's first query: it cost 40 % of the throughput of
            # cached pages (bench/RESULTS.md). A connection that broke (database restart) fails
            # one request and is then replaced, as Django closes connections after errors.
            "CONN_HEALTH_CHECKS": False,
        }
    raise ImproperlyConfigured(
        f"DATABASE_URL={url!r} is not supported; use postgres://… or sqlite:///…."
    )


def with_statement_timeout(config: dict, seconds: int) -> None:
    """Let PostgreSQL cancel any statement of this process that runs longer than `seconds`
    (0: no limit). For the web process only (hagen_isek/wsgi.py): a request waiting longer
    helps nobody, while migrations and exports from the command line may take their time."""
    if seconds and config["ENGINE"] == "django.db.backends.postgresql":
        options = config.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c statement_timeout={seconds * 1000}"
        options["options"] = options["options"].strip()
