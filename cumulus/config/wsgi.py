"""WSGI entry point, for gunicorn in production (``cumulus.config.wsgi:application``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cumulus.config.settings")
application = get_wsgi_application()
