"""``python -m srcaudit``: the same as the ``srcaudit`` command."""

from .cli import main

main()
