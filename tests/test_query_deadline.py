"""The web process's deadline for a database server that does not answer at all (the real
frozen server is in tests/test_database_outage.py); these check the wrapper on its own."""

import signal
import threading

import pytest
from django.db import OperationalError

from hagen_isek.query_deadline import QueryDeadline


class Connection:
    def __init__(self) -> None:
        self.closed = False

    def close(self) -> None:
        self.closed = True


def never_answers(sql, params, many, context):
    threading.Event().wait(60)  # a frozen server: the wait only ends by the deadline
    return "answer"


def test_a_query_without_answer_closes_the_connection_and_raises_a_database_error():
    connection = Connection()
    handler_before = signal.getsignal(signal.SIGALRM)
    with pytest.raises(OperationalError, match="did not answer within 0.05 s"):
        QueryDeadline(0.05)(never_answers, "SELECT 1", None, False, {"connection": connection})
    assert connection.closed
    assert signal.getsignal(signal.SIGALRM) is handler_before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_an_answered_query_returns_its_result_and_leaves_no_timer_armed():
    connection = Connection()
    result = QueryDeadline(5)(
        lambda *args: "rows", "SELECT 1", None, False, {"connection": connection}
    )
    assert result == "rows" and not connection.closed
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_outside_the_main_thread_the_query_runs_without_a_timer():
    seen = []

    def timer(*args):
        return signal.getitimer(signal.ITIMER_REAL)

    def run():
        seen.append(QueryDeadline(5)(timer, "SELECT 1", None, False, {"connection": Connection()}))

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert seen == [(0.0, 0.0)]
