"""W3C export/import: collections and pages, CSV, DataFrame, reading other tools, the CLI bodies."""

from __future__ import annotations

import csv
import importlib
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reader_ext.cli.interop import export_command, import_command
from reader_ext.cli.main import main
from reader_ext.course.report import report
from reader_ext.errors import AnnotationError
from reader_ext.interop.tables import (
    CSV_COLUMNS,
    export_csv,
    read_students_csv,
    split_tags,
    to_dataframe,
)
from reader_ext.interop.w3c import export_w3c, to_collection
from reader_ext.interop.w3c_read import TooLongNumber, parse_json, read_w3c, read_w3c_report
from reader_ext.store.annotation_store import AnnotationStore

LESSON = "urn:reader-ext:india-russia-2023:reading-the-argument"
FRAGMENT_TARGET = {"source": LESSON, "selector": {"type": "FragmentSelector", "value": "p1"}}
SUITE_SAMPLES = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "conformance"
    / "web-annotation-tests"
    / "tools"
    / "samples"
)


def text_target(exact: str) -> dict[str, Any]:
    return {
        "source": LESSON,
        "selector": [
            {"type": "TextQuoteSelector", "exact": exact, "prefix": "the ", "suffix": " of"},
            {"type": "TextPositionSelector", "start": 10, "end": 10 + len(exact)},
        ],
    }


def text_body(value: str, purpose: str = "commenting") -> dict[str, str]:
    return {"type": "TextualBody", "value": value, "purpose": purpose}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[AnnotationStore]:
    with AnnotationStore(tmp_path / "class.sqlite") as s:
        note = s.add(
            {
                "motivation": "commenting",
                "body": [
                    text_body('=HYPERLINK("x") **bold**'),
                    text_body("trade", "tagging"),
                    text_body("oil", "tagging"),
                ],
                "target": text_target("rupee–rouble trade"),
            },
            user="ana",
        )
        s.add({"motivation": "highlighting", "target": text_target("ändern 中文")}, user="bob")
        answer = {"motivation": "replying", "body": [text_body("-1, no")], "target": note["id"]}
        s.add(answer, user="bob")
        s.add(
            {
                "motivation": "replying",
                "body": [text_body("Because of sanctions.")],
                "target": f"{LESSON}#prompt-why-now",
            },
            user="ana",
        )
        yield s


def stub_annotations(n: int) -> list[dict[str, Any]]:
    return [
        {"id": f"urn:uuid:00000000-0000-4000-8000-{i:012d}", "type": "Annotation"} for i in range(n)
    ]


# -- collections -------------------------------------------------------------------------------


def test_one_page_collection_embeds_its_first_page() -> None:
    collection = to_collection(stub_annotations(3), collection_id="urn:uuid:c", label="Class")
    assert collection["type"] == "AnnotationCollection"
    assert collection["total"] == 3
    first = collection["first"]
    assert first["type"] == "AnnotationPage"
    assert first["id"] == collection["last"] == "urn:uuid:c#page-1"
    assert first["partOf"] == {"id": "urn:uuid:c", "label": "Class", "total": 3}
    assert (first["startIndex"], len(first["items"])) == (0, 3)
    assert "next" not in first
    assert "@included" not in collection


def test_many_pages_are_linked_by_id_and_included() -> None:
    collection = to_collection(
        stub_annotations(5), collection_id="urn:uuid:c", label="C", page_size=2
    )
    pages = [collection["first"], *collection["@included"]]
    assert [p["id"] for p in pages] == [f"urn:uuid:c#page-{n}" for n in (1, 2, 3)]
    assert [p["startIndex"] for p in pages] == [0, 2, 4]
    assert [p.get("next") for p in pages] == ["urn:uuid:c#page-2", "urn:uuid:c#page-3", None]
    assert [p.get("prev") for p in pages] == [None, "urn:uuid:c#page-1", "urn:uuid:c#page-2"]
    assert collection["last"] == "urn:uuid:c#page-3"


def test_empty_collection_has_an_empty_first_page() -> None:
    collection = to_collection([], collection_id="urn:uuid:c", label="C")
    assert collection["total"] == 0
    assert collection["first"]["items"] == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"collection_id": "not a uri"}, "collection_id"),
        ({"collection_id": "urn:uuid:c#x"}, "collection_id"),
        ({"page_size": 0}, "page_size"),
    ],
)
def test_to_collection_rejects_bad_arguments(kwargs: dict[str, Any], message: str) -> None:
    args: dict[str, Any] = {"collection_id": "urn:uuid:c", "label": "C", **kwargs}
    with pytest.raises(ValueError, match=message):
        to_collection([], **args)


# -- export and re-import ----------------------------------------------------------------------


def test_export_w3c_round_trips_through_import(store: AnnotationStore, tmp_path: Path) -> None:
    out = io.StringIO()
    assert export_w3c(store, out=out) == 4
    data = json.loads(out.getvalue())
    assert "中文" in out.getvalue()  # written as UTF-8, not \\u escapes
    with AnnotationStore(tmp_path / "copy.sqlite") as copy:
        result = copy.import_annotations(read_w3c(data))
        assert (result.added, result.skipped) == (4, [])
        assert copy.list() == store.list()
        assert copy.import_annotations(read_w3c(data)).unchanged == 4


def test_multi_page_collection_reads_back_in_order(store: AnnotationStore) -> None:
    items = store.list()
    collection = to_collection(items, collection_id="urn:uuid:c", label="C", page_size=1)
    assert read_w3c(json.loads(json.dumps(collection))) == items


def test_export_by_source_leaves_out_other_lessons(store: AnnotationStore) -> None:
    store.add(
        {
            "motivation": "highlighting",
            "target": {**text_target("x"), "source": "urn:reader-ext:m:other"},
        },
        user="ana",
    )
    out = io.StringIO()
    assert export_w3c(store, out=out, source=LESSON) == 4
    assert json.loads(out.getvalue())["label"].endswith(LESSON)


def test_export_csv_rows_and_formula_escaping(store: AnnotationStore) -> None:
    out = io.StringIO(newline="")
    assert export_csv(store, out=out) == 4
    assert out.getvalue().startswith("\ufeffid,")
    rows = list(csv.DictReader(io.StringIO(out.getvalue().removeprefix("\ufeff"), newline="")))
    assert tuple(rows[0]) == CSV_COLUMNS
    # Added within one millisecond, rows may come in any order: find each by what it is.
    (note,) = [r for r in rows if r["motivation"] == "commenting"]
    (mark,) = [r for r in rows if r["motivation"] == "highlighting"]
    (answer,) = [r for r in rows if r["reply_to"]]
    (prompt,) = [r for r in rows if r["prompt_id"]]
    assert note["author"] == "ana"
    assert note["quote"] == "rupee–rouble trade"
    assert (note["start"], note["end"]) == ("10", "28")
    assert note["body"] == '\'=HYPERLINK("x") **bold**'
    assert split_tags(note["tags"]) == ["trade", "oil"]
    assert note["source"] == answer["source"] == prompt["source"] == LESSON
    assert mark["quote"] == "ändern 中文"
    assert mark["body"] == ""
    assert answer["reply_to"] == note["id"]
    assert answer["body"] == "'-1, no"
    assert prompt["prompt_id"] == "why-now"
    assert prompt["reply_to"] == ""


def test_to_dataframe_has_the_csv_columns(store: AnnotationStore) -> None:
    pytest.importorskip("pandas")
    frame = to_dataframe(store.list())
    assert tuple(frame.columns) == CSV_COLUMNS
    assert len(frame) == 4
    note = frame[frame["motivation"] == "commenting"].iloc[0]
    assert note["body"] == '=HYPERLINK("x") **bold**'  # no formula escaping outside CSV


def test_to_dataframe_without_pandas_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.import_module

    def no_pandas(name: str, package: str | None = None) -> Any:
        if name == "pandas":
            raise ModuleNotFoundError("No module named 'pandas'", name="pandas")
        return real(name, package)

    monkeypatch.setattr(importlib, "import_module", no_pandas)
    with pytest.raises(ImportError, match="pip install pandas"):
        to_dataframe([])


# -- reading other tools' annotations ----------------------------------------------------------


def test_read_w3c_normalises_other_tools_text_quote_annotations() -> None:
    foreign = {
        "id": "https://hyp.example/a/1",
        "type": "Annotation",
        "bodyValue": "Nice point",
        "target": [
            {"source": "https://example.org/page"},
            {
                "source": "https://example.org/page",
                "selector": {"type": "TextQuoteSelector", "exact": "point", "prefix": "p" * 400},
            },
        ],
    }
    (read,) = read_w3c(foreign)
    assert read["motivation"] == "commenting"
    assert read["body"] == [
        {
            "type": "TextualBody",
            "value": "Nice point",
            "format": "text/plain",
            "purpose": "commenting",
        }
    ]
    assert read["creator"]["nickname"] == "unknown"
    assert read["target"]["source"] == "https://example.org/page"
    assert read["target"]["selector"][0]["prefix"] == "p" * 256
    assert read["@context"] == "http://www.w3.org/ns/anno.jsonld"


def test_read_w3c_skips_link_bodies_and_keeps_tags() -> None:
    item = {
        "type": "Annotation",
        "creator": {"id": "https://example.org/users/kim", "name": "Kim"},
        "body": [
            "https://example.org/body1",
            {"type": "TextualBody", "value": "hist", "purpose": ["tagging"]},
            {"type": "SpecificResource", "source": "https://example.org/x"},
        ],
        "target": {
            "source": "https://example.org/page",
            "selector": [
                {"type": "RangeSelector"},
                {"type": "TextQuoteSelector", "exact": "x"},
                {"type": "TextPositionSelector", "start": 1, "end": 2},
            ],
        },
    }
    (read,) = read_w3c([item])
    assert read["motivation"] == "highlighting"
    assert read["body"] == [{"type": "TextualBody", "value": "hist", "purpose": "tagging"}]
    assert read["creator"] == {
        "id": "https://example.org/users/kim",
        "type": "Person",
        "nickname": "Kim",
    }
    assert [s["type"] for s in read["target"]["selector"]] == [
        "TextQuoteSelector",
        "TextPositionSelector",
    ]


def test_read_w3c_reports_bad_items_by_index() -> None:
    good = {"type": "Annotation", "target": text_target("x")}
    page = {
        "type": "AnnotationPage",
        "items": [
            good,
            "https://example.org/anno",
            {"type": "Annotation", "target": FRAGMENT_TARGET},
        ],
    }
    result = read_w3c_report(page)
    assert len(result.annotations) == 1
    assert [p.index for p in result.problems] == [1, 2]
    assert "TextQuoteSelector" in str(result.problems[1])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (42, "got int"),
        ({"type": "Person"}, "not an Annotation"),
        ({"type": "Annotation", "target": FRAGMENT_TARGET}, "item 0: .*TextQuoteSelector"),
        ({"type": "AnnotationCollection", "total": 3, "first": "urn:x:p1"}, "not in the file"),
    ],
)
def test_read_w3c_raises_for_what_it_cannot_read(data: object, message: str) -> None:
    with pytest.raises(AnnotationError, match=message):
        read_w3c(data)


def test_read_w3c_reads_the_suites_sample_collection() -> None:
    collection = json.loads((SUITE_SAMPLES / "correct" / "collection1.json").read_text())
    result = read_w3c_report(collection)
    assert len(result.annotations) + len(result.problems) == 41
    objects = [a for a in result.annotations if isinstance(a["target"], dict)]
    quoted = [a for a in objects if "selector" in a["target"]]
    assert [a["target"]["selector"][0]["exact"] for a in quoted] == ["anotation"]
    # A note whose target is a whole resource (a plain IRI) is a lesson-level note on it.
    whole = [a for a in objects if "selector" not in a["target"]]
    assert whole and all(a["motivation"] == "commenting" for a in whole)


# -- the command bodies ------------------------------------------------------------------------


def test_export_command_writes_a_file_or_stdout(
    store: AnnotationStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "class.jsonld"
    assert export_command(store.path, "w3c", out) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["total"] == 4
    assert "exported 4 annotations" in capsys.readouterr().err
    assert export_command(store.path, "csv", None) == 0
    assert capsys.readouterr().out.startswith(",".join(CSV_COLUMNS))
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_export_command_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.sqlite"
    assert export_command(missing, "w3c", None) == 1
    assert f"error: {missing}: no annotation store here" in capsys.readouterr().err
    assert not missing.exists()
    bogus = tmp_path / "bogus.sqlite"
    bogus.write_text("hello")
    assert export_command(bogus, "csv", None) == 1
    assert "not an SQLite database" in capsys.readouterr().err
    assert export_command(bogus, "xml", None) == 1  # type: ignore[arg-type]


def test_import_command_merges_and_reports(
    store: AnnotationStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exported = tmp_path / "export.jsonld"
    with exported.open("w", encoding="utf-8") as f:
        export_w3c(store, out=f)
    target = tmp_path / "merged.sqlite"
    assert import_command(exported, target) == 0
    assert "4 added, 0 updated, 0 unchanged, 0 skipped" in capsys.readouterr().out
    assert import_command(exported, target) == 0
    assert "0 added, 0 updated, 4 unchanged" in capsys.readouterr().out

    first = store.list()[0]
    forged = {**first, "creator": {"nickname": "eve"}, "modified": "2999-01-01T00:00:00Z"}
    mixed = tmp_path / "mixed.json"
    mixed.write_text(json.dumps([first, "junk", forged]))
    assert import_command(mixed, target) == 0
    captured = capsys.readouterr()
    assert "0 added, 0 updated, 1 unchanged, 2 skipped" in captured.out
    assert f"{mixed}: skipped item 1: not a JSON object" in captured.err
    owner = first["creator"]["nickname"]
    assert f"skipped item 2: id: {first['id']} already belongs to {owner!r}" in captured.err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON (line 1"),
        ('{"type": "Person"}', "not an Annotation"),
        (b"\xff\xfe\x00", "not UTF-8"),
    ],
)
def test_import_command_bad_files_exit_1_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | bytes, message: str
) -> None:
    bad = tmp_path / "bad.json"
    if isinstance(content, bytes):
        bad.write_bytes(content)
    else:
        bad.write_text(content)
    target = tmp_path / "store.sqlite"
    assert import_command(bad, target) == 1
    err = capsys.readouterr().err
    assert f"error: {bad}: " in err
    assert message in err
    assert not target.exists()


def test_import_command_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert import_command(tmp_path / "nope.json", tmp_path / "s.sqlite") == 1
    assert "nope.json: cannot read" in capsys.readouterr().err


# -- the hostile corpus ------------------------------------------------------------------------

HOSTILE = Path(__file__).parent / "hostile" / "import"


@pytest.mark.parametrize(
    "case", sorted(p.stem for p in HOSTILE.iterdir() if p.suffix == ".json"), ids=str
)
def test_hostile_import_gives_its_error(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, *messages = (HOSTILE / f"{case}.expected").read_text(encoding="utf-8").splitlines()
    code = main(["import", str(HOSTILE / f"{case}.json"), "--store", str(tmp_path / "s.sqlite")])
    captured = capsys.readouterr()
    output = captured.out + captured.err
    assert f"exit {code}" == status, output
    for message in messages:
        assert message in output
    assert "Traceback" not in output


def test_read_w3c_keeps_the_good_items_of_a_published_file_with_a_bad_type() -> None:
    """The reader reads published-annotations.jsonld through read_w3c: one bad item is skipped."""
    good = {"type": "Annotation", "target": text_target("x")}
    page = {"type": "AnnotationPage", "items": [{**good, "type": {}}, good, {**good, "type": [[]]}]}
    result = read_w3c_report(page)
    assert len(result.annotations) == 1
    assert [p.index for p in result.problems] == [0, 2]
    assert len(read_w3c(page)) == 1


def test_parse_json_keeps_long_numbers_from_aborting_the_file() -> None:
    data = parse_json('{"a": ' + "7" * 5000 + ', "b": 12, "c": 1.5}')
    assert isinstance(data, dict)
    assert isinstance(data["a"], TooLongNumber)
    assert (data["b"], data["c"]) == (12, 1.5)
    assert "5000 digits" in repr(data["a"])


# -- spreadsheets and pandas -------------------------------------------------------------------


def test_csv_file_reads_back_in_pandas_with_non_latin_text_newlines_and_tags(
    tmp_path: Path,
) -> None:
    pandas = pytest.importorskip("pandas")
    with AnnotationStore(tmp_path / "s.sqlite") as s:
        s.add(
            {
                "motivation": "commenting",
                "body": [
                    text_body('日本語の注釈\nsecond line, "quoted"\r\nthird'),
                    text_body("India; foreign policy", "tagging"),
                    text_body('a "tag", with, commas', "tagging"),
                ],
                "target": text_target("मॉस्को"),
            },
            user="たろう",
        )
    out = tmp_path / "class.csv"
    assert export_command(tmp_path / "s.sqlite", "csv", out) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfid,")  # the BOM Excel needs to read UTF-8
    assert b"\r\n" in raw
    frame = pandas.read_csv(out, keep_default_na=False)
    assert list(frame.columns) == list(CSV_COLUMNS)  # the BOM is not part of the first name
    (row,) = frame.to_dict("records")
    assert row["author"] == "たろう"
    assert row["quote"] == "मॉस्को"
    assert row["body"] == '日本語の注釈\nsecond line, "quoted"\r\nthird'
    assert split_tags(row["tags"]) == ["India; foreign policy", 'a "tag", with, commas']
    with out.open(encoding="utf-8-sig", newline="") as f:
        (same,) = list(csv.DictReader(f))
    assert same["body"] == row["body"]


def test_to_dataframe_has_real_types(store: AnnotationStore) -> None:
    pandas = pytest.importorskip("pandas")
    frame = to_dataframe(store.list())
    for column in ("created", "modified"):
        assert isinstance(frame[column].dtype, pandas.DatetimeTZDtype)
        assert str(frame[column].dtype.tz) == "UTC"
    assert str(frame["start"].dtype) == str(frame["end"].dtype) == "Int64"
    assert isinstance(frame["author"].dtype, pandas.StringDtype)
    note = frame[frame["motivation"] == "commenting"].iloc[0]
    assert note["tags"] == ["trade", "oil"]
    assert (note["start"], note["end"]) == (10, 28)
    answer = frame[frame["prompt_id"].notna()].iloc[0]
    assert answer["tags"] == []
    assert answer["start"] is pandas.NA
    assert frame.explode("tags")["tags"].dropna().tolist() == ["trade", "oil"]


def test_read_students_csv_is_typed(store: AnnotationStore, tmp_path: Path) -> None:
    pandas = pytest.importorskip("pandas")
    files = report(store.path, tmp_path / "report", lessons=None)
    frame = read_students_csv(files.csv)
    assert set(frame["student"]) == {"ana", "bob"}
    assert str(frame["notes"].dtype) == "Int64"
    assert isinstance(frame["last_activity"].dtype, pandas.DatetimeTZDtype)
    assert str(frame["last_activity"].dt.tz) == "UTC"
    everything = frame[(frame["module"] == "all") & (frame["student"] == "ana")].iloc[0]
    assert everything["notes"] == 1
    assert isinstance(frame["student"].dtype, pandas.StringDtype)


def test_a_lesson_level_note_has_no_selector_and_a_highlight_needs_one(
    store: AnnotationStore,
) -> None:
    note = store.add(
        {
            "motivation": "commenting",
            "body": [text_body("On it all")],
            "target": {"source": LESSON},
        },
        user="ana",
    )
    assert note["target"] == {"source": LESSON}
    assert note in store.list(source=LESSON)
    with pytest.raises(AnnotationError, match="only a note may be about the whole lesson"):
        store.add({"motivation": "highlighting", "target": {"source": LESSON}}, user="ana")
