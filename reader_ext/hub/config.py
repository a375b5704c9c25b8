"""The class service's configuration: one TOML file per course, named by an environment variable.

```toml
# class-service.toml
database = "postgresql+psycopg://reader@db/reader_class"   # or a path to a SQLite file
course = "india-russia-2023"
instructor_groups = ["instructors"]
student_groups = ["students"]
discussion_group_prefix = "section-"     # Hub groups named section-* are discussion groups
default_visibility = "class"
visibilities = ["private", "group", "class", "instructors"]   # what students may choose

[limits]
writes_per_minute = 60
write_burst = 20
connections_per_user = 8
```

The Hub passes the path as ``READER_EXT_CLASS_CONFIG`` (see ``docs/class-mode.md``). Secrets
such as the database password may instead come from ``READER_EXT_CLASS_DATABASE``, which wins
over ``database``.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reader_ext.annotations.audience import VISIBILITIES, Visibility
from reader_ext.errors import ReaderExtError
from reader_ext.hub.policy import Member

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

CONFIG_ENV = "READER_EXT_CLASS_CONFIG"
DATABASE_ENV = "READER_EXT_CLASS_DATABASE"


class ConfigError(ReaderExtError):
    """The class service's configuration cannot be used; the message names the key."""


@dataclass(frozen=True, slots=True)
class Limits:
    writes_per_minute: int = 60
    write_burst: int = 20
    connections_per_user: int = 8


@dataclass(frozen=True, slots=True)
class ClassConfig:
    database: str
    course: str
    instructor_groups: frozenset[str] = frozenset({"instructors"})
    student_groups: frozenset[str] = frozenset({"students"})
    discussion_group_prefix: str = "section-"
    default_visibility: Visibility = "class"
    visibilities: tuple[Visibility, ...] = VISIBILITIES
    """What a new note may be for in this course (the reader offers only these)."""
    limits: Limits = Limits()

    def member(self, name: str, hub_groups: set[str] | frozenset[str]) -> Member | None:
        """The course member a Hub user is, or ``None`` when the user is not in the course."""
        groups = frozenset(g for g in hub_groups if g.startswith(self.discussion_group_prefix))
        if hub_groups & self.instructor_groups:
            return Member(name, "instructor", groups)
        if hub_groups & self.student_groups:
            return Member(name, "student", groups)
        return None


def load_config(path: str | os.PathLike[str] | None = None) -> ClassConfig:
    """Read the TOML file at ``path`` (default: ``$READER_EXT_CLASS_CONFIG``)."""
    where = path or os.environ.get(CONFIG_ENV)
    if not where:
        msg = f"no configuration: set {CONFIG_ENV} to the class service's TOML file"
        raise ConfigError(msg)
    file = Path(where)
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except OSError as exc:
        msg = f"{file}: cannot read ({exc.strerror or exc})"
        raise ConfigError(msg) from exc
    except tomllib.TOMLDecodeError as exc:
        msg = f"{file}: not valid TOML ({exc})"
        raise ConfigError(msg) from exc
    return config_from_dict(data, where=str(file))


def config_from_dict(data: dict[str, Any], *, where: str = "configuration") -> ClassConfig:
    database = os.environ.get(DATABASE_ENV) or data.get("database")
    course = data.get("course")
    if not isinstance(database, str) or not database:
        msg = f"{where}: 'database' must be a database URL or a SQLite file path"
        raise ConfigError(msg)
    if not isinstance(course, str) or not course:
        msg = f"{where}: 'course' must name the course (its course.toml id)"
        raise ConfigError(msg)
    visibility = data.get("default_visibility", "class")
    if visibility not in VISIBILITIES:
        msg = f"{where}: 'default_visibility' must be one of {', '.join(VISIBILITIES)}"
        raise ConfigError(msg)
    allowed = data.get("visibilities", list(VISIBILITIES))
    if (
        not isinstance(allowed, list)
        or not allowed
        or not all(isinstance(v, str) and v in VISIBILITIES for v in allowed)
    ):
        msg = f"{where}: 'visibilities' must be a list of some of {', '.join(VISIBILITIES)}"
        raise ConfigError(msg)
    if visibility not in allowed:
        msg = f"{where}: 'default_visibility' {visibility!r} is not in 'visibilities'"
        raise ConfigError(msg)
    limits = data.get("limits", {})
    if not isinstance(limits, dict):
        msg = f"{where}: [limits] must be a table"
        raise ConfigError(msg)
    known = set(Limits.__dataclass_fields__)
    unknown = set(limits) - known
    if unknown:
        msg = f"{where}: unknown key(s) in [limits]: {', '.join(sorted(unknown))}"
        raise ConfigError(msg)
    for key, value in limits.items():
        if not isinstance(value, int) or value < 1:
            msg = f"{where}: limits.{key} must be a whole number of at least 1"
            raise ConfigError(msg)
    return ClassConfig(
        database=database,
        course=course,
        instructor_groups=_groups(data, "instructor_groups", {"instructors"}, where),
        student_groups=_groups(data, "student_groups", {"students"}, where),
        discussion_group_prefix=str(data.get("discussion_group_prefix", "section-")),
        default_visibility=visibility,
        visibilities=tuple(v for v in VISIBILITIES if v in allowed),
        limits=Limits(**limits),
    )


def _groups(data: dict[str, Any], key: str, default: set[str], where: str) -> frozenset[str]:
    value = data.get(key, sorted(default))
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        msg = f"{where}: '{key}' must be a list of Hub group names"
        raise ConfigError(msg)
    return frozenset(value)
