"""The desktop app's garbage-collector policy (drillapp/ui/gc_policy.py): what start-up made is frozen out of every
later full collection's walk, and so is what a full collection leaves after new imports; nothing more, and the
command line and the tests keep Python's own way unless it is asked for."""

from __future__ import annotations

import gc
import sys
import types

import pytest

from drillapp.ui import gc_policy


@pytest.fixture
def policy():
    assert gc_policy._after_collection not in gc.callbacks, "nothing but the desktop app installs it"
    gc_policy.settle()
    yield
    gc_policy.uninstall()
    sys.modules.pop("drillapp_gc_policy_probe", None)


def test_settling_freezes_what_is_alive_and_watches_full_collections(policy) -> None:
    assert gc.get_freeze_count() > 1000  # the modules, classes and functions loaded so far
    assert gc_policy._after_collection in gc.callbacks


def test_a_full_collection_freezes_again_only_after_new_imports(policy) -> None:
    frozen = gc.get_freeze_count()
    kept = [[i] for i in range(5000)]  # long-lived containers made after the freeze
    gc.collect()
    assert gc.get_freeze_count() == frozen, "no module imported since: the survivors stay collectable"

    sys.modules["drillapp_gc_policy_probe"] = types.ModuleType("drillapp_gc_policy_probe")  # as an import does
    gc.collect(1)
    assert gc.get_freeze_count() == frozen, "only a full collection freezes"
    gc.collect()
    assert gc.get_freeze_count() >= frozen + len(kept), "what survived the full collection is frozen"


def test_uninstalling_lets_everything_be_collected_again(policy) -> None:
    gc_policy.uninstall()
    assert gc.get_freeze_count() == 0 and gc_policy._after_collection not in gc.callbacks
    cycle: list[object] = []
    cycle.append(cycle)
    del cycle
    assert gc.collect() >= 1
