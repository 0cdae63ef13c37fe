#!/usr/bin/env python
import os
import sys


def main():
    # `render_report` imports WeasyPrint in a second process while Django starts here.
    from boligsosial.pdf_layout import prestart_for

    prestart_for(sys.argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "boligsosial.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
