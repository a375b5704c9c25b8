"""The ``reader-ext`` command: argument parsing and every command body."""
