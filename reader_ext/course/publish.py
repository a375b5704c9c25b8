"""Sharing a class's annotations back to the students, read-only, after the deadline.

Each released module folder gets ``published-annotations.jsonld``: the class store's live
annotations on that module's lesson (matched by the ``uri`` in its ``module.toml``) as one W3C
``AnnotationCollection``. The reader imports the file into the student's own store, where
annotations by others are read-only; ``collect`` recognises them when they come back in a later
submission (published copies) and skips them. Events are private and never published.

The creators are the class store's students (the submission ids), so classmates see each
other's ids: say so to the class before publishing.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from reader_ext.errors import Problem, PublishError
from reader_ext.files import write_text_atomically
from reader_ext.interop.w3c import to_collection
from reader_ext.lessons.layout import MODULE_FILE, PUBLISHED_FILE
from reader_ext.lessons.tomlsrc import read_toml
from reader_ext.store.annotation_store import AnnotationStore
from reader_ext.store.engine import masked, store_exists

# Collection ids derive from the lesson uri, so publishing the same annotations twice writes
# the same bytes (no churn in a release kept under version control).
_NAMESPACE = uuid.UUID("3b0f4f5e-8f0e-4b9a-a2a4-6f7d1c2e9b11")


def publish(class_store: Path | str, release: Path) -> int:
    """Write each released module's class annotations; return how many were written in all.

    ``class_store`` is the collected class store's file or the class database's URL."""
    if not store_exists(class_store):
        msg = f"{masked(class_store)}: no class store here; run `reader-ext collect` first"
        raise PublishError(msg)
    modules = _released_modules(release)
    if not modules:
        msg = f"{release}: no released module folders (with {MODULE_FILE}) here"
        raise PublishError(msg)
    total = 0
    with AnnotationStore(class_store) as store:
        for folder, uri, title in modules:
            annotations = store.list(source=uri)
            collection = to_collection(
                annotations,
                collection_id=f"urn:uuid:{uuid.uuid5(_NAMESPACE, uri)}",
                label=f"The class's annotations on {title}",
            )
            write_text_atomically(
                folder / PUBLISHED_FILE, json.dumps(collection, ensure_ascii=False) + "\n"
            )
            total += len(annotations)
    return total


def _released_modules(release: Path) -> list[tuple[Path, str, str]]:
    """(folder, uri, title) of each module folder: the release itself, or its subfolders."""
    if (release / MODULE_FILE).is_file():
        folders = [release]
    elif release.is_dir():
        folders = sorted(p for p in release.iterdir() if (p / MODULE_FILE).is_file())
    else:
        folders = []
    found: list[tuple[Path, str, str]] = []
    for folder in folders:
        problems: list[Problem] = []
        src = read_toml(folder / MODULE_FILE, problems, what="module file")
        uri = src.data.get("uri") if src else None
        if not isinstance(uri, str):
            # assign always writes the uri; without it the module cannot be matched safely.
            msg = (
                f"{folder / MODULE_FILE}: no 'uri'; release the course again with reader-ext assign"
            )
            raise PublishError(msg)
        title = src.data.get("title") if src else None
        found.append((folder, uri, title if isinstance(title, str) else folder.name))
    return found
