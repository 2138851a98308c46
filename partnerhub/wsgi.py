"""WSGI entry point.

The objects of the start-up (settings, apps, models, middleware: some 100,000) live
as long as the process: they are moved out of the cyclic garbage collector's reach
(``gc.freeze``), so its full collections no longer walk them on every request's
allocations (issue #13: a SCIM ``POST /Users`` spent 0.20 ms of its Python in the
collector, 0.05 ms so). Start-up garbage is collected first, not kept.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerhub.settings.local")
application = get_wsgi_application()
gc.collect()
gc.freeze()
