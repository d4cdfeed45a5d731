"""Portable mode (drillapp/portable.py): which data folder is in force, and the command line's --portable
putting the database, logs and settings beside the executable. The bundle itself is checked by
packaging/smoke_test.py; here the executable is a file in a temp folder and sys.frozen is set."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import pytest

from drillapp import paths, portable
from drillapp.cli import main
from drillapp.errors import DomainError


@pytest.fixture
def bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A stand-in for the installed app: drillapp's executable in its own folder, as if frozen."""
    folder = tmp_path / "drillapp"
    folder.mkdir()
    (folder / "drillapp").write_bytes(b"")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(folder / "drillapp"))
    return folder


@pytest.fixture
def own_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """DRILLAPP_HOME as a user (or the suite) set it; monkeypatch puts it back after the test."""
    home = tmp_path / "home"
    monkeypatch.setenv("DRILLAPP_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def _no_log_file_left(monkeypatch: pytest.MonkeyPatch):
    """The CLI adds a log file handler to the root logger: take it away again after the test."""
    monkeypatch.setenv("LOGNAME", "duty-desk")
    root = logging.getLogger()
    handlers = list(root.handlers)
    yield
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
        handler.close()


def test_the_flag_puts_the_data_beside_the_executable(tmp_path: Path) -> None:
    assert portable.portable_home(True, {}, tmp_path) == tmp_path / "data"
    assert portable.portable_home(True, {"DRILLAPP_HOME": "/elsewhere"}, tmp_path) == tmp_path / "data"


def test_portable_txt_does_the_same_unless_drillapp_home_is_set(tmp_path: Path) -> None:
    assert portable.portable_home(False, {}, tmp_path) is None  # no marker: the user's data folder
    (tmp_path / "portable.txt").write_text("", encoding="utf-8")
    assert portable.portable_home(False, {}, tmp_path) == tmp_path / "data"
    assert portable.portable_home(False, {"DRILLAPP_HOME": "/elsewhere"}, tmp_path) is None


def test_a_folder_named_portable_txt_is_no_marker(tmp_path: Path) -> None:
    (tmp_path / "portable.txt").mkdir()
    assert portable.portable_home(False, {}, tmp_path) is None


def test_outside_the_bundle_the_flag_is_refused_and_the_marker_ignored(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(sys, "frozen", raising=False)
    assert portable.install_dir() is None
    with pytest.raises(DomainError, match="DRILLAPP_HOME"):
        portable.portable_home(True, {}, None)
    assert portable.portable_home(False, {}, None) is None


def test_install_dir_is_the_executables_folder(bundle: Path) -> None:
    assert portable.install_dir() == bundle.resolve()


def test_apply_sets_the_data_folder_for_paths_and_settings(bundle: Path, own_home: Path) -> None:
    (bundle / "portable.txt").write_text("", encoding="utf-8")
    assert portable.apply(False) is None  # DRILLAPP_HOME wins over the marker
    assert paths.data_dir() == own_home

    home = portable.apply(True)
    assert home == bundle.resolve() / "data"
    assert paths.data_dir() == home and home.is_dir()
    assert paths.default_db_path() == home / "drillapp.sqlite3"
    assert paths.log_dir() == home / "logs"


def test_settings_go_to_the_portable_data_folder(bundle: Path, own_home: Path) -> None:
    from drillapp.ui import settings  # the Qt settings store (an .ini file in DRILLAPP_HOME)

    home = portable.apply(True)
    settings.put(settings.LANGUAGE, "zh_CN")
    assert (home / "drillapp.ini").is_file()
    assert settings.get(settings.LANGUAGE) == "zh_CN"
    assert not (own_home / "drillapp.ini").exists()


def test_apply_without_the_flag_or_marker_changes_nothing(bundle: Path, own_home: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    assert portable.apply(False) is None
    assert paths.data_dir() == own_home
    monkeypatch.delenv("DRILLAPP_HOME")
    assert portable.apply(False) is None
    assert "DRILLAPP_HOME" not in os.environ
    assert not (bundle / "data").exists()


def test_a_data_folder_that_cannot_be_made_is_a_clear_error(bundle: Path, own_home: Path) -> None:
    (bundle / "data").write_text("a file where the folder should be", encoding="utf-8")
    with pytest.raises(DomainError) as caught:
        portable.apply(True)
    assert str(bundle.resolve() / "data") in caught.value.message
    assert "portable.txt" in caught.value.message
    assert paths.data_dir() == own_home  # nothing changed


def test_cli_portable_keeps_the_database_beside_the_executable(bundle: Path, own_home: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--portable", "db", "upgrade"]) == 0
    data = bundle.resolve() / "data"
    assert (data / "drillapp.sqlite3").is_file()
    assert paths.log_dir() == data / "logs"  # (the log file itself: the smoke test, in a fresh process)
    assert not own_home.exists()  # the DRILLAPP_HOME of the environment was not used
    capsys.readouterr()
    assert main(["--portable", "db", "current"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_cli_portable_error_exits_1_with_the_message(bundle: Path, own_home: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    (bundle / "data").write_text("", encoding="utf-8")
    assert main(["--portable", "db", "current"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("drillapp: Portable mode keeps the data in") and err.count("\n") == 1


def test_settings_of_the_general_group_survive_a_restart(own_home: Path) -> None:
    """What Qt wrote to the .ini file in an earlier run: [%General] comes back as the group "General"."""
    from drillapp.ui import settings

    own_home.mkdir(parents=True)
    (own_home / "drillapp.ini").write_text("[%General]\nlanguage=zh_CN\nport=3\n", encoding="utf-8")
    assert settings.get(settings.LANGUAGE) == "zh_CN"
    assert settings.get(settings.CURRENT_PORT) == 3


def test_a_desktop_start_that_cannot_go_portable_says_why_in_a_window(bundle: Path, own_home: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """drillapp-gui has no console on Windows: the reason must come in a message box, and no window opens."""
    from drillapp.ui import app

    shown: list[str] = []
    monkeypatch.delenv(app.BENCH_ENV, raising=False)
    monkeypatch.setattr(app.QMessageBox, "critical", lambda _parent, _title, text: shown.append(text))
    monkeypatch.setattr(app, "main", lambda **_kwargs: pytest.fail("the app started"))
    (bundle / "data").write_text("", encoding="utf-8")
    assert main(["--portable"]) == 1
    assert len(shown) == 1 and shown[0].startswith("Portable mode keeps the data in")
