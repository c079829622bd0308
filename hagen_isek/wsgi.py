import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from hagen_isek import query_deadline
from hagen_isek.env import with_statement_timeout

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hagen_isek.settings")
# Before the first connection: web requests get PostgreSQL's statement timeout and a deadline of
# their own for a server that does not answer at all; commands get neither.
for database in settings.DATABASES.values():
    with_statement_timeout(database, settings.DB_STATEMENT_TIMEOUT_SECONDS)
query_deadline.install(settings.DB_STATEMENT_TIMEOUT_SECONDS)
application = get_wsgi_application()
