"""The paused collector: a block's objects leave it already in the oldest generation."""

import gc

from fusiondesk.core.memory import heap_set_aside, paused_gc


def test_a_paused_block_leaves_no_young_objects_to_scan():
    with paused_gc():
        rows = [(n, str(n)) for n in range(20_000)]
    assert gc.isenabled()
    assert gc.get_count()[0] < 1_000  # not 20,000 tuples waiting for the next collection
    assert gc.get_freeze_count() == 0
    assert gc.is_tracked(rows[0])


def test_inside_a_heap_set_aside_the_objects_stay_set_aside_until_it_ends():
    with heap_set_aside():
        with paused_gc():
            rows = [(n, str(n)) for n in range(20_000)]
        assert gc.get_freeze_count() >= len(rows)
    assert gc.get_freeze_count() == 0


def test_a_nested_pause_keeps_the_collector_off_until_the_outer_one_ends():
    with paused_gc():
        with paused_gc():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()
