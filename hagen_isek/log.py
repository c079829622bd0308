"""Logging helpers referenced from settings.LOGGING."""

import logging


class WithoutTraceback(logging.Filter):
    """Keeps the record's one-line message, drops its traceback.

    For events that are expected in production and say everything in one line (a request with a
    bad Host header, the database being unreachable): a traceback each would flood the log
    (3,100 tracebacks in 20 s when the database was down) and bury the errors that need one."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True
