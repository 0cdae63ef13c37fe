import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "boligsosial.settings")
from boligsosial.settings import refuse_development_secret_in_production  # noqa: E402

refuse_development_secret_in_production()
application = get_asgi_application()
