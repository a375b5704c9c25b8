"""The seal on cached note HTML: this user's key, kept privately, binding HTML to its source."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from reader_ext.text import sealed


def test_the_key_is_made_once_readable_by_its_owner_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "data"))
    key = sealed.key()
    path = sealed.key_path()
    assert path == tmp_path / "data" / "reader-ext" / sealed.KEY_FILE
    assert path.read_bytes() == key and len(key) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sealed.key() == key  # the same key on every call, and in every later kernel
    sealed._key.cache_clear()
    assert sealed.key() == key


def test_a_seal_binds_the_html_to_its_context() -> None:
    secret = b"s" * 32
    stored = sealed.seal(("urn:a", "v1", "*a*"), "<p><em>a</em></p>", secret=secret)
    assert sealed.unseal(("urn:a", "v1", "*a*"), stored, secret=secret) == "<p><em>a</em></p>"
    for context in (("urn:b", "v1", "*a*"), ("urn:a", "v2", "*a*"), ("urn:a", "v1", "*b*")):
        assert sealed.unseal(context, stored, secret=secret) is None
    assert sealed.unseal(("urn:a", "v1", "*a*"), stored, secret=b"t" * 32) is None
    tag, _, html = stored.partition(":")
    assert sealed.unseal(("urn:a", "v1", "*a*"), f"{tag}:{html}<script>", secret=secret) is None
    for junk in ("", "<p>x</p>", ":<p>x</p>", "z" * 64 + ":<p>x</p>", "é" * 64 + ":x"):
        assert sealed.unseal(("urn:a", "v1", "*a*"), junk, secret=secret) is None


def test_a_seal_read_as_utf_8_bytes_binds_the_same() -> None:
    secret = b"s" * 32
    context = ("urn:é", "v1", '{"a":"ग"}')
    stored = sealed.seal(context, "<p>ग</p>", secret=secret)
    raw = tuple(c.encode() for c in context)
    assert sealed.unseal_bytes(raw, stored.encode(), secret=secret) == "<p>ग</p>".encode()
    assert sealed.unseal_bytes(raw, stored.encode(), secret=b"t" * 32) is None
    assert sealed.unseal_bytes((*raw[:2], b'{"a":"x"}'), stored.encode(), secret=secret) is None
    assert sealed.unseal_bytes(raw, stored.encode() + b"<script>", secret=secret) is None
    for junk in (b"", b"<p>x</p>", b":x", b"z" * 64 + b":x", "é".encode() * 32 + b":x"):
        assert sealed.unseal_bytes(raw, junk, secret=secret) is None


def test_without_a_writable_data_folder_a_key_for_this_process_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(blocked / "data"))
    key = sealed.key()
    assert len(key) == 32 and sealed.key() == key
    assert not (blocked / "data").exists()
