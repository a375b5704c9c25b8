from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader_ext.hub.config import config_from_dict
from reader_ext.hub.demo import DemoError
from reader_ext.hub.service import Service
from reader_ext.lessons.load import load_lesson
from reader_ext.lessons.model import Lesson
from reader_ext.store.classroom import ClassStore
from tests import pg
from tests.pg import PostgresServer

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
LESSONS = ROOT / "lessons"


@pytest.fixture(scope="session", autouse=True)
def jupyter_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The tests' own Jupyter data folder, where the reader keeps its HTML-sealing key: never
    the user's (``reader_ext.text.sealed``)."""
    folder = tmp_path_factory.mktemp("jupyter-data")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JUPYTER_DATA_DIR", str(folder))
        yield folder


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A private copy of the small fixture course, safe to break."""
    target = tmp_path / "course"
    shutil.copytree(FIXTURES / "course-ok", target)
    return target


@pytest.fixture
def class_service(tmp_path: Path) -> Iterator[Service]:
    """The class service's shared state (config, class store on SQLite, broker), no server."""
    config = config_from_dict({"database": str(tmp_path / "class.sqlite"), "course": "c"})
    service = Service(config, ClassStore(config.database))
    try:
        yield service
    finally:
        service.store.close()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A PostgreSQL server for the whole session (never skipped: CI installs it)."""
    try:
        server = pg.start()
    except DemoError as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield server
    finally:
        pg.stop(server)


@pytest.fixture
def postgres_url(postgres: PostgresServer) -> Iterator[str]:
    """The URL of a fresh, empty database on the session's server."""
    name = postgres.create_database()
    try:
        yield postgres.url(name)
    finally:
        postgres.drop_database(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a new store goes: an SQLite file's path, or a fresh PostgreSQL database's URL."""
    if request.param == "sqlite":
        return str(tmp_path / "annotations.sqlite")
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def lesson(course: Path) -> Lesson:
    """The small module of the ``course`` fixture, loaded."""
    return load_lesson(course / "m1")


@pytest.fixture
def subs(tmp_path: Path) -> Path:
    """An empty submissions folder, for collect."""
    root = tmp_path / "submissions"
    root.mkdir()
    return root


@pytest.fixture(params=["sqlite", "postgresql"])
def into(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """The class store: a new SQLite file (in a folder collect creates), or a PostgreSQL one."""
    if request.param == "sqlite":
        return tmp_path / "class" / "class.sqlite"
    url: str = request.getfixturevalue("postgres_url")
    return url
