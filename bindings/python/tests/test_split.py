"""Splitting a region into disjoint parts, and the parts' lives: each is
used alone, from its own thread if need be, and the mapping (or the fake
model) stays until the last part is closed."""

import gc
import threading

import pytest

import mmio


def test_split_gives_the_left_part_and_renumbers_the_right_from_zero(memfd):
    memfd.pwrite(bytes(range(64)), 0)
    r = memfd.open(0, 64)
    left = r.split(0x10)
    assert len(left) == 0x10 and len(r) == 0x30
    assert left.read8(0) == 0x00 and left.read8(0x0F) == 0x0F
    assert r.read8(0) == 0x10 and r.read32(0x2C) == 0x3F3E3D3C
    with pytest.raises(mmio.OutOfRange):
        left.read8(0x10)
    with pytest.raises(mmio.OutOfRange):
        r.read8(0x30)
    r.write8(0, 0xAA)
    assert memfd.pread(1, 0x10) == b"\xaa"
    assert "[0x0, 0x10)" in repr(left) and "[0x10, 0x40)" in repr(r)


def test_split_at_either_end_leaves_an_empty_part(memfd):
    r = memfd.open(0, 32)
    empty = r.split(0)
    assert len(empty) == 0 and len(r) == 32
    with pytest.raises(mmio.OutOfRange):
        empty.read8(0)
    whole = r.split(32)
    assert len(whole) == 32 and len(r) == 0


def test_split_beyond_the_end_changes_nothing(memfd):
    r = memfd.open(0, 32)
    for mid in (33, -1, 1 << 64):
        with pytest.raises(mmio.OutOfRange):
            r.split(mid)
    assert len(r) == 32
    with pytest.raises(TypeError):
        r.split("1")


def test_alignment_after_an_odd_split_is_judged_on_the_address(memfd):
    r = memfd.open(0, 32)
    left = r.split(3)
    with pytest.raises(mmio.Unaligned):
        r.read32(0)
    r.write32(1, 0x11223344)  # address 4
    assert memfd.pread(4, 4) == bytes.fromhex("44332211")
    assert left.read8(2) == 0 and left.read16(0) == 0


def test_parts_keep_their_rights_and_later_splits_inherit_read_only(memfd):
    r = memfd.open(0, 64)
    before = r.split(16)
    r.make_read_only()
    after = r.split(16)
    before.write32(0, 1)
    assert after.read_only and r.read_only and not before.read_only
    with pytest.raises(mmio.ReadOnly):
        after.write32(0, 1)


def test_the_mapping_stays_until_the_last_part_is_closed(memfd):
    r = memfd.open(0, 64)
    left = r.split(32)
    r.close()
    left.write32(0, 0x5A5A5A5A)
    assert memfd.pread(4, 0) == b"\x5a" * 4
    del r
    gc.collect()
    assert left.read32(0) == 0x5A5A5A5A


def test_a_fake_model_outlives_every_region_over_it():
    r = mmio.open("fake:edu")
    part = r.split(0x80)  # the registers; r keeps the DMA half
    r.close()
    del r
    gc.collect()
    part.write32(0x04, 0x0F0F0F0F)
    assert part.read32(0x04) == 0xF0F0F0F0  # LIVENESS inverts: the model is alive
    part.close()


def test_split_parts_are_used_from_several_threads_at_once(shm_spec):
    r = mmio.open(shm_spec)
    parts = []
    while len(r) > 1024:
        parts.append(r.split(1024))
    parts.append(r)
    errors = []

    def work(index, part):
        try:
            for round_ in range(2000):
                off = (round_ * 8) % len(part)
                part.write64(off, (index << 32) | round_)
                assert part.read64(off) == (index << 32) | round_
        except Exception as e:  # reported below, in the main thread
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i, p)) for i, p in enumerate(parts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with mmio.open(shm_spec) as whole:
        for i in range(len(parts)):
            assert whole.read64(i * 1024) >> 32 == i


def test_after_close_every_use_raises_value_error(memfd):
    r = memfd.open(0, 64)
    r.close()
    assert r.closed
    calls = [
        lambda: r.read8(0), lambda: r.read32(0), lambda: r.read64(0),
        lambda: r.write16(0, 1), lambda: r.write64(0, 1), lambda: r.modify32(0, 1, 1),
        lambda: r.poll32(0, 1, 0), lambda: r.read_block(0, 1), lambda: r.write_block(0, [1]),
        lambda: r.split(1), lambda: r.make_read_only(), lambda: len(r), lambda: r.read_only,
        lambda: r.__enter__(),
    ]
    for call in calls:
        with pytest.raises(ValueError, match="closed"):
            call()
    r.close()  # again: nothing happens
    assert "closed" in repr(r)
    assert memfd.pread(64, 0) == bytes(64)


def test_with_closes_the_region_on_exit_even_on_error(memfd):
    with memfd.open(0, 64) as r:
        r.write32(0, 1)
    assert r.closed
    with pytest.raises(RuntimeError):
        with memfd.open(0, 64) as r2:
            raise RuntimeError("boom")
    assert r2.closed


def test_a_region_bound_to_a_register_map_is_not_split_under_it(memfd):
    r = memfd.open(0, 64)
    regs = mmio.parse_description("peripheral P\n register A 0x10 32\n").bind(r)
    with pytest.raises(ValueError, match="register maps"):
        r.split(8)
    regs.A.write(5)
    assert r.read32(0x10) == 5 and len(r) == 64
    del regs
    gc.collect()
    assert len(r.split(8)) == 8


def test_a_region_a_poll_waits_on_is_not_split_under_it(memfd):
    import time
    r = memfd.open(0, 64)
    started = threading.Event()

    def wait():
        started.set()
        r.poll32(0x10, 1, 1, timeout=10, interval=0.005)

    poller = threading.Thread(target=wait)
    poller.start()
    started.wait(5)
    time.sleep(0.05)  # into the poll, asleep between its reads
    with pytest.raises(ValueError, match="poll"):
        r.split(8)
    r.write32(0x10, 1)
    poller.join(5)
    assert not poller.is_alive()
    assert len(r.split(8)) == 8
