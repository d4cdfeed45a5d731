"""Smoke test of the built bundle, with the bundle alone: `python packaging/smoke_test.py [BUNDLE]`.

The bundle (default dist/drillapp/) is copied to a temp folder and run from there with a clean
environment: no virtualenv on PATH, no PYTHONPATH, a fresh HOME and DRILLAPP_HOME. It runs the command
line (version, demo port, schema, a plan printed to PDF, the roster engine), starts the desktop app
offscreen until its first window is shown and idle (DRILLAPP_BENCH_EXIT_WHEN_IDLE prints BENCH_READY),
both executables, and checks portable mode (portable.txt and --portable) and the per-user data folder.
The PDF is read with pypdf from this Python (the test's virtualenv), not from the bundle.

Prints one line per check and `smoke: N passed, N failed`; exits 1 on the first failure.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bundle_layout import BUNDLE, ROOT, executable

TIMEOUT_S = 180
USER, PASSWORD = "smoke-admin", "smoke-password-2026"
HAN = re.compile(r"[\u4e00-\u9fff]")
# A week of one day shift for three people, in the nurse-rostering format `roster bench` reads.
TINY_INSTANCE = """SECTION_HORIZON
7

SECTION_SHIFTS
D,480,

SECTION_STAFF
A,D=7,3360,0,5,1,1,1
B,D=7,3360,0,5,1,1,1
C,D=7,3360,0,5,1,1,1

SECTION_DAYS_OFF
A,0

SECTION_SHIFT_ON_REQUESTS
B,1,D,2

SECTION_SHIFT_OFF_REQUESTS
C,2,D,1

SECTION_COVER
0,D,2,100,1
1,D,2,100,1
2,D,2,100,1
3,D,2,100,1
4,D,2,100,1
5,D,1,100,1
6,D,1,100,1
"""


class SmokeFailure(Exception):
    pass


def _source_value(path: str, name: str) -> str:
    """A constant of the source tree (drillapp.__version__, schema.HEAD_REVISION), read as text."""
    match = re.search(rf'^{name} = "([^"]+)"', (ROOT / path).read_text(encoding="utf-8"), re.MULTILINE)
    assert match, f"{name} not found in {path}"
    return match.group(1)


def clean_environment(home: Path) -> dict[str, str]:
    """Only what a fresh log-in session has: the system's PATH, a new HOME, English, nothing of Python."""
    if sys.platform == "win32":
        root = os.environ.get("SystemRoot", r"C:\Windows")
        env = {k: os.environ[k] for k in ("SystemRoot", "SystemDrive", "WINDIR", "TEMP", "TMP", "LOCALAPPDATA",
                                          "APPDATA", "USERPROFILE", "USERNAME") if k in os.environ}
        env["PATH"] = f"{root}\\System32;{root}"
    else:
        env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "LOGNAME": "duty-desk", "USER": "duty-desk"}
    env["HOME"] = str(home)
    return env


class Smoke:
    def __init__(self, source: Path, tmp: Path) -> None:
        self.tmp = tmp
        self.bundle = tmp / "drillapp"
        started = time.perf_counter()
        shutil.copytree(source, self.bundle, symlinks=True)
        print(f"smoke: copied {source} to {self.bundle} ({time.perf_counter() - started:.1f} s)", flush=True)
        self.home = tmp / "home"
        self.home.mkdir()
        self.drillapp_home = tmp / "drillapp-home"
        self.db = tmp / "smoke.sqlite3"
        self.env = clean_environment(self.home) | {"DRILLAPP_HOME": str(self.drillapp_home)}
        self.last: subprocess.CompletedProcess[str] | None = None

    def run(self, *args: str, env: dict[str, str] | None = None, exe: str = "drillapp",
            drop: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
        full = {k: v for k, v in (self.env | (env or {})).items() if k not in drop}
        cmd = [str(executable(self.bundle, exe)), *args]
        try:
            self.last = subprocess.run(cmd, cwd=self.tmp, env=full, stdin=subprocess.DEVNULL, capture_output=True,
                                       text=True, encoding="utf-8", errors="replace", timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired as exc:
            raise SmokeFailure(f"`{' '.join(args)}` did not finish within {TIMEOUT_S} s") from exc
        return self.last

    def ok(self, *args: str, **kwargs) -> str:
        """Run and require exit 0; the standard output."""
        proc = self.run(*args, **kwargs)
        if proc.returncode != 0:
            raise SmokeFailure(f"`drillapp {' '.join(args)}` exited {proc.returncode}: {proc.stderr.strip()[-800:]}")
        return proc.stdout

    def login(self) -> dict[str, str]:
        return {"DRILLAPP_USER": USER, "DRILLAPP_PASSWORD": PASSWORD}

    # -- the checks ------------------------------------------------------------------------------------

    def version(self) -> None:
        out = self.ok("--version").strip()
        want = f"drillapp {_source_value('drillapp/__init__.py', '__version__')}"
        if out != want:
            raise SmokeFailure(f"--version printed {out!r}, expected {want!r}")

    def demo(self) -> None:
        out = self.ok("--db", str(self.db), "demo")
        if "Demo port created." not in out:
            raise SmokeFailure(f"demo printed {out!r}")
        head = _source_value("drillapp/schema.py", "HEAD_REVISION")
        current = self.ok("--db", str(self.db), "db", "current")
        if not current.startswith(f"{head} (up to date"):  # the migrations ran from the bundle's files
            raise SmokeFailure(f"db current printed {current!r}, expected schema {head} up to date")

    def plan_pdf(self) -> None:
        plans = json.loads(self.ok("--db", str(self.db), "plans", "list", "--json"))
        plan = plans[0]
        pdf = self.tmp / "x.pdf"
        self.ok("--db", str(self.db), "plans", "print", plan["code"], "--out", str(pdf))
        check_pdf(pdf, plan["title"])

    def native_parts(self) -> None:
        """pdfium, psycopg's binary libpq, argon2, tzdata, keyring, openpyxl, Qt's translation (bundle_probe.py)."""
        proc = self.run("--bundle-probe", str(self.tmp / "x.pdf"), env={"PSYCOPG_IMPL": "binary"})
        try:
            report = json.loads(proc.stdout)
        except ValueError:
            raise SmokeFailure(f"--bundle-probe exited {proc.returncode}: {proc.stderr.strip()[-800:]}") from None
        for part, result in report.items():
            print(f"smoke:      {part}: {result}")
        if proc.returncode != 0:
            raise SmokeFailure("parts failed to load: " + ", ".join(k for k, v in report.items() if v.startswith("error")))

    def member_sheet(self) -> None:
        """An Excel sheet written and read back (openpyxl)."""
        sheet = self.tmp / "members.xlsx"
        self.ok("--db", str(self.db), "members", "export", "--out", str(sheet))
        out = self.ok("--db", str(self.db), "members", "import", str(sheet), "--check")
        if not sheet.is_file() or not out.strip():
            raise SmokeFailure(f"members import --check printed {out!r}")

    def postgresql_driver(self) -> None:
        """A PostgreSQL URL reaches psycopg (a refused connection is the user's error, exit 1, not a bug)."""
        proc = self.run("--db", "postgresql://nobody@127.0.0.1:9/none", "db", "current",
                        env={"PSYCOPG_IMPL": "binary"})
        if proc.returncode != 1 or "internal error" in proc.stderr:
            raise SmokeFailure(f"exited {proc.returncode}: {proc.stderr.strip()[-800:]}")

    def roster_engine(self) -> None:
        instance = self.tmp / "tiny-instance.txt"
        instance.write_text(TINY_INSTANCE, encoding="utf-8")
        out = self.ok("roster", "bench", str(instance), "--time-limit", "20", "--workers", "1",
                      "--out", str(self.tmp / "tiny.csv"))
        if "objective=" not in out or "status=OPTIMAL" not in out:
            raise SmokeFailure(f"roster bench printed {out.strip()!r}")
        rows = (self.tmp / "tiny.csv").read_text(encoding="utf-8").splitlines()
        if len(rows) < 2:
            raise SmokeFailure(f"roster bench wrote {len(rows)} line(s)")
        # the desktop app searches in a child process: the frozen executable must start that child and end it
        out = self.ok("roster", "bench", str(instance), "--time-limit", "20", "--workers", "1", "--isolated",
                      "--out", str(self.tmp / "tiny-isolated.csv"))
        if "status=OPTIMAL" not in out:
            raise SmokeFailure(f"roster bench --isolated printed {out.strip()!r}")

    def gui(self) -> None:
        """The desktop app in Chinese (with Qt's own Chinese for its dialogs) to its first window."""
        self.ok("--db", str(self.db), "users", "add", USER, "--role", "administrator",
                env={"DRILLAPP_NEW_PASSWORD": PASSWORD})
        self.drillapp_home.mkdir(exist_ok=True)
        (self.drillapp_home / "drillapp.ini").write_text("[%General]\nlanguage=zh_CN\n", encoding="utf-8")
        self.start_gui("drillapp", "--db", str(self.db))
        log = (self.drillapp_home / "logs" / "drillapp.log").read_text(encoding="utf-8")
        if not re.search(r"Qt's own translation .*qtbase_zh_CN\.qm loaded", log):
            raise SmokeFailure("Qt's own Chinese translation (qtbase_zh_CN.qm) was not loaded: see "
                               + str(self.drillapp_home / "logs" / "drillapp.log"))

    def gui_windowed(self) -> None:
        self.start_gui("drillapp-gui", "--db", str(self.db))

    def start_gui(self, exe: str, *args: str, env: dict[str, str] | None = None, drop: tuple[str, ...] = ()) -> None:
        gui_env = {"QT_QPA_PLATFORM": "offscreen", "DRILLAPP_BENCH_EXIT_WHEN_IDLE": "1"} | self.login() | (env or {})
        proc = self.run(*args, exe=exe, env=gui_env, drop=drop)
        if proc.returncode != 0:
            raise SmokeFailure(f"{exe} exited {proc.returncode}: {proc.stderr.strip()[-800:]}")
        if sys.platform == "win32" and exe == "drillapp-gui":
            return  # a windowed executable has no standard output to read there
        if not re.search(r"^BENCH_READY \d", proc.stdout, re.MULTILINE):
            raise SmokeFailure(f"{exe} exited without BENCH_READY: {proc.stdout.strip()[-400:]}")
        self.no_errors_logged()

    def no_errors_logged(self) -> None:
        """Nothing went wrong quietly: no ERROR record (a bug, with its traceback) in any log file the runs so
        far wrote. (A refused connection is logged as a WARNING with its traceback: that one is expected.)"""
        for log in self.tmp.rglob("drillapp.log"):
            bad = [line for line in log.read_text(encoding="utf-8").splitlines()
                   if re.match(r"\d{4}-\d\d-\d\d [\d:,]+ (ERROR|CRITICAL) ", line)]
            if bad:
                raise SmokeFailure(f"{log} has errors: {' | '.join(bad[:3])}")

    def portable_marker(self) -> None:
        """portable.txt beside the executable: database, log and settings go to data/ there."""
        (self.bundle / "portable.txt").write_text("", encoding="utf-8")
        data = self.bundle / "data"
        no_home = ("DRILLAPP_HOME",)
        self.ok("demo", drop=no_home)
        self.ok("users", "add", USER, "--role", "administrator", env={"DRILLAPP_NEW_PASSWORD": PASSWORD},
                drop=no_home)
        self.start_gui("drillapp", drop=no_home)
        for part in ("drillapp.sqlite3", "logs/drillapp.log", "drillapp.ini"):
            if not (data / part).is_file():
                raise SmokeFailure(f"portable mode: {data / part} is missing")
        if any(self.home.rglob("drillapp.sqlite3")):
            raise SmokeFailure(f"portable mode: a database was made under HOME ({self.home})")

    def portable_flag(self) -> None:
        """--portable (the marker taken away) opens the same data/ folder, even with DRILLAPP_HOME set."""
        (self.bundle / "portable.txt").unlink()
        out = self.ok("--portable", "db", "current")
        if "up to date" not in out:
            raise SmokeFailure(f"--portable db current printed {out!r}")
        self.start_gui("drillapp-gui", "--portable")

    def user_data_folder(self) -> None:
        """Without portable mode, the default database is in the per-user data folder (platformdirs, as
        the app run from Python uses), so a newer version installed over the old finds it."""
        if sys.platform == "win32":
            print("smoke:      (per-user folder: not checked on Windows, where it is the real %LOCALAPPDATA%)")
            return
        self.ok("demo", drop=("DRILLAPP_HOME",))
        probe = ("import platformdirs; print(platformdirs.user_data_dir('drillapp', 'drillapp'))")
        expected = subprocess.run([sys.executable, "-c", probe], env=self.env | {"PATH": os.environ["PATH"]},
                                  capture_output=True, text=True, check=True).stdout.strip()
        if not (Path(expected) / "drillapp.sqlite3").is_file():
            raise SmokeFailure(f"the default database is not in the per-user data folder {expected}")


def check_pdf(pdf: Path, title: str) -> None:
    """The print-out holds the plan's Chinese title as text, and every font in it is embedded."""
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    text = "".join(page.extract_text() or "" for page in reader.pages)
    if not HAN.search(title) or re.sub(r"\s", "", title) not in re.sub(r"\s", "", text):
        raise SmokeFailure(f"the PDF's text does not hold the plan's title {title!r}")
    fonts = {}
    for page in reader.pages:
        for font in (page.get("/Resources") or {}).get("/Font", {}).values():
            font = font.get_object()
            for part in [font, *[d.get_object() for d in font.get("/DescendantFonts", [])]]:
                descriptor = part.get("/FontDescriptor")
                if descriptor is not None:
                    fonts[str(part.get("/BaseFont"))] = any(
                        key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3"))
    if not fonts:
        raise SmokeFailure("the PDF names no font with a descriptor")
    missing = sorted(name for name, embedded in fonts.items() if not embedded)
    if missing:
        raise SmokeFailure(f"fonts not embedded in the PDF: {', '.join(missing)}")
    if not any("WenQuanYi" in name for name in fonts):
        raise SmokeFailure(f"the bundled CJK font is not in the PDF (fonts: {', '.join(sorted(fonts))})")


def main(argv: list[str]) -> int:
    source = Path(argv[0]).resolve() if argv else BUNDLE
    if not executable(source).is_file():
        print(f"smoke: no bundle at {source}: build it first (python packaging/build.py)", file=sys.stderr)
        return 1
    passed = 0
    with tempfile.TemporaryDirectory(prefix="drillapp-smoke-") as tmp:
        smoke = Smoke(source, Path(tmp))
        checks: list[tuple[str, Callable[[], None]]] = [
            ("--version", smoke.version), ("demo port and schema", smoke.demo),
            ("plan printed to PDF (Chinese text, embedded fonts)", smoke.plan_pdf),
            ("native parts (bundle probe)", smoke.native_parts),
            ("member sheet (xlsx) written and read", smoke.member_sheet),
            ("PostgreSQL driver (psycopg binary)", smoke.postgresql_driver),
            ("roster engine (OR-Tools)", smoke.roster_engine),
            ("desktop app to its first window (drillapp, Chinese)", smoke.gui),
            ("desktop app, windowed executable (drillapp-gui)", smoke.gui_windowed),
            ("portable mode: portable.txt", smoke.portable_marker),
            ("portable mode: --portable", smoke.portable_flag),
            ("per-user data folder", smoke.user_data_folder),
        ]
        for name, check in checks:
            started = time.perf_counter()
            try:
                check()
            except SmokeFailure as exc:
                print(f"smoke: FAIL {name}: {exc}", flush=True)
                if smoke.last is not None and smoke.last.stderr.strip():
                    print("smoke:      its standard error ends: " + smoke.last.stderr.strip()[-1500:])
                print(f"smoke: {passed} passed, 1 failed ({len(checks) - passed - 1} not run)")
                return 1
            passed += 1
            print(f"smoke: ok   {name} ({time.perf_counter() - started:.1f} s)", flush=True)
    print(f"smoke: {passed} passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
