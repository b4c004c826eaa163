"""No path leaks: objects, exceptions and messages of the error paths are
all released (tracemalloc sees what the extension allocates through
Python), and regions give their mappings back (/proc/self/maps). What the
library allocates with malloc is for valgrind to see; these loops run
those paths too."""

import gc
import tracemalloc

import pytest

import mmio
from conftest import EDU_REGS


def exercise(memfd, regs, edu):
    r = memfd.open(0, 64)
    for call in (lambda: r.read32(64), lambda: r.read32(2), lambda: r.write8(-1, 0),
                 lambda: r.write32(0, 1 << 40), lambda: r.write32(0, "x"),
                 lambda: r.read_block(0, 100), lambda: r.write_block(0, [1, "x"]),
                 lambda: r.write_block(0, b"abc", width=4), lambda: r.poll32(0, 1, 1, timeout=0),
                 lambda: r.split(65), lambda: mmio.open("shm:mmio-test-missing"),
                 lambda: mmio.open("nope:"), lambda: mmio.open("fake:nope"),
                 lambda: regs.NOPE, lambda: regs.FACTORIAL.NOPE, lambda: regs.IRQ_ACK.read(),
                 lambda: edu.read8(0), lambda: mmio.parse_description("bad")):
        try:
            call()
        except (mmio.Error, ValueError, TypeError, OverflowError, AttributeError):
            pass
    r.write_block(0, [1, 2, 3])
    r.read_block(0, 3)
    left = r.split(8)
    left.close()
    r.close()
    regs.FACTORIAL = 3
    regs.STATUS.poll(COMPUTING=0)
    regs.STATUS.decode()
    repr(regs.STATUS), list(regs)


def test_error_paths_release_what_they_allocate(memfd, edu):
    regs = mmio.load_description(EDU_REGS).bind(edu)
    for _ in range(50):
        exercise(memfd, regs, edu)
    gc.collect()
    tracemalloc.start()
    try:
        for _ in range(20):
            exercise(memfd, regs, edu)
        gc.collect()
        before = tracemalloc.take_snapshot()
        for _ in range(500):
            exercise(memfd, regs, edu)
        gc.collect()
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    grown = sum(s.size_diff for s in after.compare_to(before, "filename"))
    assert grown < 64 * 1024, [str(s) for s in after.compare_to(before, "lineno")[:10]]


def mappings():
    """How many mappings of the test's memfds the process has."""
    with open("/proc/self/maps") as f:
        return sum("memfd:mmio-test" in line for line in f)


@pytest.mark.parametrize("how", ["close", "with", "drop"])
def test_regions_and_models_give_their_memory_back(memfd, how):
    def once():
        if how == "close":
            r = memfd.open(0, 64)
            r.split(8).close()
            r.close()
            mmio.open("fake:edu").close()
        elif how == "with":
            with memfd.open(0, 64) as r, mmio.open("fake:edu") as e:
                r.read32(0), e.read32(0)
        else:
            memfd.open(0, 64).split(32)
            mmio.open("fake:edu").split(8)

    start = mappings()
    for _ in range(2000):
        once()
    gc.collect()
    assert mappings() == start
    r = memfd.open(0, 64)
    assert mappings() == start + 1  # the count does see a mapping
    r.close()
