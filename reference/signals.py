"""Signals of the reference data.

`loading` is sent inside `load_reference_data`'s transaction, after this app's own files, with
`directory` (the reference folder) and `report` (the LoadReport to count in). Apps above this
one that keep catalogues of their own beside the reference data connect to it, so one command
loads everything, all or nothing, while this app imports nothing of theirs.
"""

from django.dispatch import Signal

loading = Signal()
