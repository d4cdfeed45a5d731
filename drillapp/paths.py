"""Where the app keeps its files: the user's data folder, logs, and the bundled resources."""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

from drillapp import APP_NAME, ORG_NAME


def data_dir() -> Path:
    """The user's data folder (platformdirs), or DRILLAPP_HOME when set (tests, portable installs)."""
    override = os.environ.get("DRILLAPP_HOME")
    if override:
        path = Path(override)
    else:
        from platformdirs import user_data_dir

        path = Path(user_data_dir(APP_NAME, ORG_NAME))
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path() -> Path:
    return data_dir() / "drillapp.sqlite3"


def resource_path(*parts: str) -> Path:
    """A bundled resource (fonts, translations, icons) from the drillapp_resources package."""
    return Path(str(files("drillapp_resources").joinpath(*parts)))


def bundled_plan_files() -> list[Path]:
    """The joint plans shipped with the app (plans/*.yaml, installed as the package drillapp_plans), sorted
    by file name; from a source checkout whose install predates that package, the checkout's plans/."""
    try:
        folder = Path(str(files("drillapp_plans")))
    except ModuleNotFoundError:
        folder = Path(__file__).resolve().parent.parent / "plans"
    return sorted(folder.glob("*.yaml"))
