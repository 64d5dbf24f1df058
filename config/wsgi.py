import os

from django.core.wsgi import get_wsgi_application

# gunicorn serves production: without an explicit choice, the HTTPS-only settings apply, and
# they refuse to start without SECRET_KEY and ALLOWED_HOSTS instead of running half-configured.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
application = get_wsgi_application()
