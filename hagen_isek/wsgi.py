import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from hagen_isek.env import with_statement_timeout

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hagen_isek.settings")
# Before the first connection: web requests get PostgreSQL's statement timeout, commands do not.
for database in settings.DATABASES.values():
    with_statement_timeout(database, settings.DB_STATEMENT_TIMEOUT_SECONDS)
application = get_wsgi_application()
