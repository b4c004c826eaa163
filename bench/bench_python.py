"""What a register read costs from Python: the binding's Region.read32
against what Python users do today, measured in the same run on the same
memory object (a one-page memfd, mapped twice).

  (a) struct.unpack_from('<I', mm, off) on a Python mmap of the object:
      the fastest pure-Python way, and not width-exact (the struct module
      copies the bytes with memcpy, in whatever accesses the C library
      picks). Goal: read32 costs at most as much (ratio <= 1.0).
  (b) A PYNQ-style MMIO.read: a numpy uint32 view over the mapping, with
      the checks PYNQ's MMIO.read makes (length, sign, alignment) before
      indexing it. Goal: read32 at least 5 times faster.

Each figure is ns per call, the minimum over interleaved rounds, for a
loop that walks one page at 4-byte steps; "net" subtracts the cost of
the same loop with an empty body, which is the loop's own share. The benchmark reports; it never fails.

usage: python3 bench/bench_python.py [--quick]
(with the package installed: bench/run.sh or scripts/test.sh make a
virtual environment that has it, build/bindings/python/venv)
"""

import mmap
import os
import platform
import struct
import sys
import time

import mmio

try:
    import numpy as np
except ImportError:  # the PYNQ-style baseline needs numpy (python3-numpy)
    np = None

PAGE = mmap.PAGESIZE


class PynqStyleMMIO:
    """A register window the way PYNQ's MMIO class reads it: a numpy uint32
    array over the mapping; a read of 1 or 2 bytes is a 32-bit load and a
    mask, one of 8 is two 32-bit loads."""

    def __init__(self, mem, length):
        self.length = length
        self.array = np.frombuffer(mem, np.uint32, length >> 2, 0)

    def read(self, offset=0, length=4):
        if length not in (1, 2, 4, 8):
            raise ValueError("MMIO reads 1, 2, 4 or 8 bytes")
        if offset < 0:
            raise ValueError("offset cannot be negative")
        if offset % 4:
            raise MemoryError("unaligned read: offset must be a multiple of 4")
        idx = offset >> 2
        low = int(self.array[idx])
        if length == 8:
            return (int(self.array[idx + 1]) << 32) | low
        return low & ((1 << (8 * length)) - 1)

    def write(self, offset, data):
        if offset < 0:
            raise ValueError("offset cannot be negative")
        if offset % 4:
            raise MemoryError("unaligned write: offset must be a multiple of 4")
        if type(data) is not int:
            raise ValueError("data must be an int")
        self.array[offset >> 2] = np.uint32(data)


def make_loops(region, mm, pynq, offsets):
    """Each candidate as a function running its call once per offset."""
    unpack_from = struct.unpack_from
    s = struct.Struct("<I")

    def loop_empty():
        for off in offsets:
            pass

    def loop_read32():
        for off in offsets:
            region.read32(off)

    def loop_unpack_from():
        for off in offsets:
            struct.unpack_from("<I", mm, off)

    def loop_unpack_from_int():
        for off in offsets:
            unpack_from("<I", mm, off)[0]

    def loop_struct_object():
        for off in offsets:
            s.unpack_from(mm, off)[0]

    def loop_pynq_read():
        for off in offsets:
            pynq.read(off)

    def loop_write32():
        for off in offsets:
            region.write32(off, off)

    def loop_pack_into():
        for off in offsets:
            struct.pack_into("<I", mm, off, off)

    def loop_pynq_write():
        for off in offsets:
            pynq.write(off, off)

    loops = {
        "empty loop": loop_empty,
        "mmio read32(off)": loop_read32,
        "struct.unpack_from('<I', mm, off)": loop_unpack_from,
        "struct.unpack_from('<I', mm, off)[0]": loop_unpack_from_int,
        "Struct('<I').unpack_from(mm, off)[0]": loop_struct_object,
        "mmio write32(off, v)": loop_write32,
        "struct.pack_into('<I', mm, off, v)": loop_pack_into,
    }
    if pynq is not None:
        loops["PYNQ-style MMIO.read(off)"] = loop_pynq_read
        loops["PYNQ-style MMIO.write(off, v)"] = loop_pynq_write
    return loops


def measure(loops, calls, rounds, passes):
    """ns per call of each loop: the minimum over rounds, interleaved."""
    best = {name: float("inf") for name in loops}
    for _ in range(rounds):
        for name, loop in loops.items():
            start = time.perf_counter_ns()
            for _ in range(passes):
                loop()
            best[name] = min(best[name], (time.perf_counter_ns() - start) / (passes * calls))
    return best


def main(argv):
    quick = "--quick" in argv
    fd = os.memfd_create("mmio-bench")
    os.ftruncate(fd, PAGE)
    region = mmio.open("file:/proc/self/fd/%d" % fd)
    mm = mmap.mmap(fd, PAGE)
    pynq = PynqStyleMMIO(mm, PAGE) if np is not None else None
    offsets = list(range(0, PAGE, 4))
    loops = make_loops(region, mm, pynq, offsets)
    rounds, passes = (3, 2) if quick else (41, 100)
    measure(loops, len(offsets), 1, passes)  # warm-up
    ns = measure(loops, len(offsets), rounds, passes)
    empty = ns["empty loop"]

    print("Python %s (%s), %s; %d rounds of %d calls%s" % (
        platform.python_version(), platform.python_implementation(), platform.machine(),
        rounds, passes * len(offsets), " (quick: the numbers mean little)" if quick else ""))
    print()
    print("| call | ns | net ns |")
    print("|---|---:|---:|")
    for name, value in ns.items():
        if name != "empty loop":
            print("| `%s` | %.1f | %.1f |" % (name, value, value - empty))
    print("| (the loop itself, with an empty body) | %.1f | |" % empty)
    print()

    def ratio(a, b):
        return ns[a] / ns[b], (ns[a] - empty) / (ns[b] - empty)

    r, rn = ratio("mmio read32(off)", "struct.unpack_from('<I', mm, off)")
    print("read32 / struct.unpack_from: %.2fx (net %.2fx); goal <= 1.0x: %s" % (
        r, rn, "met" if r <= 1.0 else "NOT met"))
    if pynq is not None:
        r, rn = ratio("PYNQ-style MMIO.read(off)", "mmio read32(off)")
        print("read32 is %.1fx faster than a PYNQ-style read (net %.1fx); goal >= 5x: %s" % (
            r, rn, "met" if r >= 5 else "NOT met"))
    else:
        print("PYNQ-style baseline skipped: numpy is missing (apt-get install python3-numpy)")
    del loops, pynq  # numpy's view holds the mmap's buffer
    mm.close()
    region.close()
    os.close(fd)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
