"""The bundle's entry point (both executables): `drillapp` runs the command line, which with no command
starts the desktop app; `drillapp-gui` (windowed, no console on Windows) runs the same.
`--bundle-probe FILE.pdf` first on the command line loads the native parts instead (bundle_probe.py)."""

import multiprocessing
import os
import sys

if __name__ == "__main__":
    # The roster search runs in a child process (drillapp/roster/isolated.py, `spawn`): in the bundle that child is
    # this executable again, which must run the search and end rather than start the app.
    multiprocessing.freeze_support()
    # A windowed executable on Windows has no console: give print() somewhere harmless to go.
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 - for the process's life
    if sys.argv[1:2] == ["--bundle-probe"]:
        from bundle_probe import main as probe

        sys.exit(probe(sys.argv[2:]))
    from drillapp.cli import main

    sys.exit(main())
