"""`python -m citkit <command>`: the same as `manage.py <command>`."""

import os
import sys

from django.core.management import execute_from_command_line

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citkit.settings")
execute_from_command_line([f"{sys.executable} -m citkit", *sys.argv[1:]])
