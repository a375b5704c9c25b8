"""A whole nbgrader course, driven by nbgrader's own commands (issue 14).

``reader-ext assign --nbgrader`` writes ``source/<assignment>/`` and ``nbgrader_config.py``;
then nbgrader generates, releases, two students fetch, annotate and submit (each in their own
home, with their own ``--student``), the instructor collects, autogrades and generates
feedback, and ``reader-ext collect`` reads ``submitted/`` and ``autograded/``. The instructor
previewed the lesson in ``source/`` first, so an instructor store sits there all along: it must
reach no student, survive in no autograded folder and appear in no feedback. Last, the class's
annotations are published into ``source/``, released again, and fetched with ``--replace``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from reader_ext.anchoring import describe
from reader_ext.cli.main import main
from reader_ext.lessons.layout import PUBLISHED_FILE
from reader_ext.lessons.load import load_lesson
from reader_ext.store.annotation_store import AnnotationStore
from reader_ext.widget.reader import OPEN_HINT

ASSIGNMENT = "m1"
COURSE_ID = "demo"
STUDENTS = ("ana", "ben")


def nbgrader(cwd: Path, env: dict[str, str], *args: str) -> str:
    exchange = ["--Exchange.root=" + env["EXCHANGE"], "--CourseDirectory.course_id=" + COURSE_ID]
    done = subprocess.run(
        [str(Path(sys.executable).parent / "nbgrader"), *args, *exchange],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, f"nbgrader {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


def add_note(folder: Path, user: str, phrase: str) -> None:
    """What the reader stores when ``user`` selects ``phrase`` and writes a note."""
    lesson = load_lesson(folder)
    start = lesson.document.text.index(phrase)
    with AnnotationStore(folder / "annotations.sqlite") as store:
        store.add(
            {
                "motivation": "commenting",
                "body": [
                    {"type": "TextualBody", "value": f"{user}'s own note", "purpose": "commenting"}
                ],
                "target": {
                    "source": lesson.uri,
                    "selector": describe(lesson.document.text, start, start + len(phrase)),
                },
            },
            user=user,
        )


def notes_in(class_store: Path) -> list[tuple[str, str]]:
    with AnnotationStore(class_store) as store:
        return sorted((a["creator"]["nickname"], a["body"][0]["value"]) for a in store.list())


@pytest.mark.timeout(240)
def test_the_whole_nbgrader_cycle_keeps_each_store_with_its_owner(
    course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exchange = tmp_path / "exchange"
    exchange.mkdir()
    env = {
        **os.environ,
        # nbgrader runs alembic (the gradebook's migrations) as a command.
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "JUPYTER_CONFIG_DIR": str(tmp_path / "jupyter-config"),
        "EXCHANGE": str(exchange),
    }
    root = tmp_path / "course"
    assert main(["assign", str(course / ASSIGNMENT), "--out", str(root), "--nbgrader"]) == 0
    assert "nbgrader_config.py: written" in capsys.readouterr().out
    source = root / "source" / ASSIGNMENT
    assert (source / "lesson.ipynb").is_file()
    add_note(source, "instructor", "Iran")  # the instructor's preview

    nbgrader(root, env, "generate_assignment", ASSIGNMENT)
    assert (root / "release" / ASSIGNMENT / "lesson.ipynb").is_file()
    assert not list((root / "release").rglob("annotations.sqlite*"))
    nbgrader(root, env, "release_assignment", ASSIGNMENT)
    assert not list(exchange.rglob("annotations.sqlite*"))

    for student in STUDENTS:
        home = tmp_path / f"home-{student}"
        home.mkdir()
        student_env = {**env, "HOME": str(home)}
        nbgrader(home, student_env, "fetch_assignment", ASSIGNMENT)
        assert not (home / ASSIGNMENT / "annotations.sqlite").exists()
        add_note(home / ASSIGNMENT, student, "India")
        nbgrader(home, student_env, "submit", ASSIGNMENT, f"--student={student}")

    nbgrader(root, env, "collect", ASSIGNMENT)
    log = nbgrader(root, env, "autograde", ASSIGNMENT)
    assert "Overwriting files with master versions" in log
    nbgrader(root, env, "generate_feedback", ASSIGNMENT)
    for student in STUDENTS:
        feedback = (root / "feedback" / student / ASSIGNMENT / "lesson.html").read_text()
        # The Reader cell as a student sees it in feedback: the read-only view of the lesson,
        # not an empty widget (autograde saves no widget state, by the shipped config).
        assert OPEN_HINT in feedback, f"{student}'s feedback has no read-only view of the reading"
        assert 'class="ar-static"' in feedback
    assert not list((root / "feedback").rglob("annotations.sqlite*"))

    expected = [(s, f"{s}'s own note") for s in STUDENTS]
    for step in ("submitted", "autograded"):
        class_store = tmp_path / f"class-{step}.sqlite"
        assert main(["collect", str(root / step), "--into", str(class_store)]) == 0
        assert notes_in(class_store) == expected, step
    # The instructor's preview store is where it was, and only there.
    assert notes_in(source / "annotations.sqlite") == [("instructor", "instructor's own note")]

    # After the deadline: publish into source/, release again, fetch with --replace.
    assert (
        main(["publish", str(tmp_path / "class-submitted.sqlite"), "--to", str(root / "source")])
        == 0
    )
    nbgrader(root, env, "generate_assignment", ASSIGNMENT, "--force")
    nbgrader(root, env, "release_assignment", ASSIGNMENT, "--force")
    home = tmp_path / "home-ana"
    log = nbgrader(home, {**env, "HOME": str(home)}, "fetch_assignment", ASSIGNMENT, "--replace")
    assert f"Replacing missing file '{ASSIGNMENT}/{PUBLISHED_FILE}'" in log
    assert (home / ASSIGNMENT / PUBLISHED_FILE).is_file()
    assert notes_in(home / ASSIGNMENT / "annotations.sqlite") == [("ana", "ana's own note")]
