"""A deadline for every query of a web request, kept by the client: a frozen database server
(processes stopped, a VM paused, a network that swallows packets) never answers, and neither
PostgreSQL's statement_timeout (the server must run to fire it) nor TCP keepalives (the kernel
still acknowledges) end the wait. Without it every gunicorn worker hung until gunicorn killed it
after 30 s, closing the connections without an answer.

The deadline is PostgreSQL's statement timeout plus a second's grace: a slow statement on a
live server is cancelled by the server first (cleanly, and that connection stays usable); only
a server that does not answer at all runs into it. It then closes the connection (the next
request connects afresh, within the connect timeout) and raises a database error, which
hagen_isek.outage answers with a 503.

The timer is SIGALRM (setitimer), so it needs the main thread of its process: gunicorn's sync
workers, the production set-up. Queries in other threads (a threaded server) keep the server's
statement timeout only. Management commands never install it (hagen_isek/wsgi.py does).
"""

import signal
import threading

from django.db import OperationalError
from django.db.backends.signals import connection_created

GRACE_SECONDS = 1


class _NoAnswer(Exception):
    """Raised by the timer's signal handler in the middle of the wait for the server."""


def _give_up(signum, frame):
    raise _NoAnswer


class QueryDeadline:
    """An execute wrapper (Django's connection.execute_wrappers) that gives each query
    `seconds` to get an answer from the server."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def __call__(self, execute, sql, params, many, context):
        if threading.current_thread() is not threading.main_thread():
            return execute(sql, params, many, context)
        previous_handler = signal.signal(signal.SIGALRM, _give_up)
        try:
            try:
                signal.setitimer(signal.ITIMER_REAL, self.seconds)
                return execute(sql, params, many, context)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
        except _NoAnswer:
            # The connection is stuck in the middle of a query: never use it again.
            context["connection"].close()
            raise OperationalError(
                f"the database server did not answer within {self.seconds:g} s"
            ) from None
        finally:
            signal.signal(signal.SIGALRM, previous_handler)


def install(statement_timeout_seconds: int) -> None:
    """Give every PostgreSQL connection of this process the deadline (0: none, like the
    statement timeout)."""
    if not statement_timeout_seconds:
        return
    deadline = QueryDeadline(statement_timeout_seconds + GRACE_SECONDS)

    def add_deadline(sender, connection, **kwargs):
        if connection.vendor == "postgresql" and not any(
            isinstance(wrapper, QueryDeadline) for wrapper in connection.execute_wrappers
        ):
            # First in the list, the outermost; execute_wrapper() blocks pop from the end.
            connection.execute_wrappers.insert(0, deadline)

    connection_created.connect(add_deadline, weak=False, dispatch_uid="query_deadline")
