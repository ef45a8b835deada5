"""pytest plugin (loaded with -p, before Django's settings are imported): the suite runs
with the development configuration unless the environment says otherwise, like manage.py."""

import os

os.environ.setdefault("DEBUG", "1")
