"""``python -m reader_ext.hub``: the class service, as the Hub starts it."""

from reader_ext.hub.app import main

raise SystemExit(main())
