#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intel.settings")
    # manage.py is the developer's tool: development settings unless DEBUG says otherwise.
    # The WSGI/ASGI entry points (what serves production) have no such default, so a
    # server started without DEBUG and SECRET_KEY refuses to run.
    os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
