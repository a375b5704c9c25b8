"""``python -m reader_ext.cli``: the same as the ``reader-ext`` command."""

from reader_ext.cli.main import main

raise SystemExit(main())
