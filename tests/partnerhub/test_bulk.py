"""Bulk helpers of imports (partnerhub/bulk.py)."""

from __future__ import annotations

import gc

import pytest

from partnerhub.bulk import cyclic_gc_paused


def test_cyclic_gc_is_paused_during_a_bulk_job_and_restored_even_when_it_fails():
    assert gc.isenabled()
    with pytest.raises(RuntimeError), cyclic_gc_paused():
        assert not gc.isenabled()
        raise RuntimeError("refused")
    assert gc.isenabled()


def test_a_bulk_job_inside_one_with_gc_off_leaves_it_off():
    gc.disable()
    try:
        with cyclic_gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
