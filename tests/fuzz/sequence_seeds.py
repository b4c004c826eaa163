#!/usr/bin/env python3
"""Writes the sequence fuzzer's seed programs into corpus/sequence/.

Each seed is a short program in fuzz_sequence.c's input encoding (one
byte of operation, one of slot, then the operation's operands), written
out here by name so that a reader can see what it does; the audit's
defects that a sequence of region operations can reach have one each.
Run it again after a change to the encoding, and commit what it writes.

usage: tests/fuzz/sequence_seeds.py
"""
import os
import struct

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "sequence")
PAGE = 4096


def u64(v):
    return struct.pack("<Q", v & (2**64 - 1))


# Offsets (place()): a small one, one counted back from the end, one
# counted back from SIZE_MAX, or any 64-bit value.
def small(v):
    return bytes([0, v])


def from_end(k):
    return bytes([1, k])


def from_max(k):
    return bytes([2, k])


def any64(v):
    return bytes([3]) + u64(v)


WIDTH = {1: 0, 2: 1, 4: 2, 8: 3}
# Access forms: the typed inline accessors, the run-time-width ones, the
# masked load, the aborting ones.
TYPED, BY_WIDTH, MASKED, ABORTING = 0, 1, 2, 3


def memory(slot, length, skew=0, counted=True):
    return bytes([0, slot, 1 if counted else 0, length & 0xFF, length >> 8, skew])


def memfd(slot, *, vmo_pages=None, vmo=None, off=0, size=64, policy=0, read_only=False,
          beyond_4gib=False):
    how = 0
    tail = b""
    if vmo == 0:
        how |= 0
    elif vmo == "huge":
        how |= 1
        tail += bytes([0])
    elif beyond_4gib:
        how |= 3
    else:
        how |= 4
        tail += bytes([0, vmo_pages - 1])  # 1 + 0 + (pages - 1) * PAGE, rounded up
    # Offsets and sizes are a byte plus whole pages.
    if beyond_4gib:
        how |= 8
        tail += bytes([off])
    else:
        assert off % PAGE < 256
        tail += bytes([off % PAGE, off // PAGE])
    if size == 0:
        how |= 1 << 4
    else:
        assert (size - 1) % PAGE < 256
        tail += bytes([(size - 1) % PAGE, (size - 1) // PAGE])
    return bytes([1, slot, how, policy, 1 if read_only else 0]) + tail


def ops(slot, length=None, huge=None, fail_mod=0, fail_sel=0, err=0):
    if huge == "2^62":
        head = bytes([2, slot, 3])
    elif huge == "ptrdiff":
        head = bytes([2, slot, 2, length])
    else:
        head = bytes([2, slot, 0, length - 1])
    return head + bytes([fail_mod]) + (bytes([fail_sel]) if fail_mod else b"") + bytes([err])


def fake(slot, length, regs, strict=False):
    out = bytes([3, slot, length - 8, (len(regs) << 1) | (1 if strict else 0)])
    for r in regs:
        wsel = WIDTH[r["width"]]
        accepts = 0x80 | r["widths"] if "widths" in r else 0
        out += bytes([wsel, accepts]) + u64(r.get("ro", 0)) + u64(r.get("w1c", 0))
        out += bytes([r["offset"]]) + u64(r.get("reset", 0)) + u64(r.get("w1s", 0))
        out += u64(r.get("rc", 0))
    return out


def trap(slot):
    return bytes([4, slot])


def trace(slot):
    return bytes([5, slot, 0])


def checker(slot):
    return bytes([5, slot, 1])


def load(slot, width, off, form=TYPED, mask=~0):
    return bytes([6, slot, WIDTH[width] | form << 2]) + off + u64(0) + u64(mask)


def store(slot, width, off, value, form=TYPED):
    return bytes([10, slot, WIDTH[width] | form << 2]) + off + u64(value) + u64(0)


def modify(slot, width, off, mask, value, form=TYPED):
    return bytes([14, slot, WIDTH[width] | form << 2]) + off + u64(value) + u64(mask)


def checks(slot, off, width_log2, align_log2):
    return bytes([16, slot, 0]) + off + bytes([width_log2, align_log2])


def split(slot, lhs, mid):
    return bytes([17, slot, lhs]) + mid


def read_only(slot):
    return bytes([19, slot])


def release(slot):
    return bytes([20, slot])


def move(slot, dst):
    return bytes([21, slot, dst])


def guard(slot):
    return bytes([22, slot])


def every_width(slot, off_of):
    out = b""
    for w in (1, 2, 4, 8):
        for form in (TYPED, BY_WIDTH, MASKED, ABORTING):
            out += load(slot, w, off_of(w), form, mask=0x0F0F0F0F0F0F0F0F)
        for form in (TYPED, BY_WIDTH, ABORTING):
            out += store(slot, w, off_of(w), 0x1122334455667788 + w, form)
        out += modify(slot, w, off_of(w), 0x00FF00FF00FF00FF, 0xA5A5A5A5A5A5A5A5, TYPED)
        out += modify(slot, w, off_of(w), 0xFF00FF00FF00FF00, 0x5A5A5A5A5A5A5A5A, BY_WIDTH)
    return out


SEEDS = {
    # Memory with an odd base: every width and form, near the end, near
    # SIZE_MAX, splits at odd points, read-only, release out of order.
    "memory-every-width": memory(0, 64, skew=1)
    + every_width(0, lambda w: small(8 - 1 + (w > 1)))
    + every_width(0, lambda w: from_end(w))
    + every_width(0, lambda w: from_max(w - 1))
    + split(0, 1, small(3)) + every_width(1, lambda w: small(0)) + every_width(0, lambda w: small(1))
    + read_only(1) + split(1, 2, small(1)) + store(2, 1, small(0), 1) + store(1, 2, small(0), 1)
    + checks(0, small(1), 1, 3) + checks(1, from_end(0), 3, 12)
    + release(0) + move(2, 5) + release(1) + release(5),
    # A memfd window at an odd offset, every width, split, read-only copy.
    "memfd-window": memfd(0, vmo_pages=3, off=PAGE + 5, size=256)
    + every_width(0, lambda w: small(16)) + every_width(0, lambda w: from_end(w))
    + split(0, 1, small(7)) + every_width(1, lambda w: small(0))
    + memfd(2, vmo_pages=1, off=0, size=256, read_only=True, policy=1)
    + store(2, 4, small(0), 7) + load(2, 8, from_end(8)) + release(1) + release(0),
    # Backends: failing offsets, every width, splits that keep backend
    # offsets, a modify whose load or store fails.
    "ops-failures": ops(0, length=200, fail_mod=3, fail_sel=1, err=0)
    + every_width(0, lambda w: small(8)) + every_width(0, lambda w: small(16))
    + split(0, 1, small(5)) + every_width(0, lambda w: small(3)) + guard(0)
    + every_width(0, lambda w: small(11)) + release(1) + release(0),
    "ops-near-ptrdiff-max": ops(0, length=3, huge="ptrdiff")
    + every_width(0, lambda w: from_end(w)) + every_width(0, lambda w: from_max(0))
    + split(0, 1, from_end(9)) + every_width(0, lambda w: small(0)) + release(0) + release(1),
    # Fake registers: read-only, write-1-to-clear, write-1-to-set,
    # clear-on-read bits and narrow accesses.
    "fake-rules": fake(0, 32, [
        {"width": 4, "offset": 0, "reset": 0xFFFF0000, "ro": 0xFF000000, "w1c": 0x00FF0000,
         "w1s": 0x000000F0, "rc": 0x0000000F, "widths": 0xF},
        {"width": 8, "offset": 8, "reset": 0x0123456789ABCDEF, "rc": 0xFF00},
        {"width": 2, "offset": 20, "widths": 0x3}])
    + every_width(0, lambda w: small(0)) + every_width(0, lambda w: small(8))
    + every_width(0, lambda w: small(20)) + every_width(0, lambda w: small(24)) + release(0),
    # Tracing and checking: wrappers over other regions.
    "trace-over-ops": ops(0, length=64, fail_mod=2, fail_sel=1, err=1) + split(0, 1, small(3))
    + trace(0) + every_width(0, lambda w: small(5)) + trace(0) + every_width(0, lambda w: small(5))
    + split(0, 2, small(9)) + every_width(2, lambda w: small(0)) + release(2) + release(0)
    + release(1),
    "checker-over-fake": fake(0, 16, [{"width": 4, "offset": 4, "rc": 0xFF}]) + checker(0)
    + every_width(0, lambda w: small(4)) + trace(0) + every_width(0, lambda w: small(0))
    + release(0),
    # Guarded regions over a page that faults.
    "trap-guarded": trap(0) + guard(0) + every_width(0, lambda w: small(8)) + split(0, 1, small(5))
    + every_width(1, lambda w: small(0)) + trace(1) + every_width(1, lambda w: small(0))
    + checker(0) + release(1) + release(0),
    # The audit's defects that a sequence of region operations reaches.
    # 1: a window beyond 4 GiB maps the bytes asked for, not those 4 GiB lower.
    "defect1-memfd-beyond-4gib": memfd(0, beyond_4gib=True, off=0x10, size=256)
    + every_width(0, lambda w: small(0x10)) + release(0),
    # 2: a checker over a region of 2^62 bytes is refused, not overflowed.
    "defect2-checker-of-a-huge-region": ops(0, huge="2^62") + checker(0),
    # 3: traced and checked regions judge alignment as the inner one does.
    "defect3-wrappers-keep-alignment": memory(0, 32, skew=1) + trace(0) + load(0, 2, small(1))
    + load(0, 4, small(3)) + checks(0, small(1), 1, 3) + memory(1, 32, skew=3) + checker(1)
    + load(1, 4, small(1)) + checks(1, small(0), 2, 4) + release(0) + release(1),
    # 4: a rejected fake access changes nothing: no byte, count or
    # clear-on-read bit.
    "defect4-fake-rejected-access": fake(0, 16, [
        {"width": 4, "offset": 0, "rc": 0xFFFFFFFF, "reset": 0xAA, "widths": 0x4},
        {"width": 4, "offset": 8, "reset": 0x55}], strict=True)
    + store(0, 8, small(0), 0x1111111111111111) + load(0, 8, small(0)) + load(0, 4, small(0))
    + store(0, 8, small(8), 0x2222222222222222) + load(0, 1, small(0)) + release(0),
    # 5: mmio_map judges its arguments before the descriptor (-1, size 0).
    "defect5-map-arguments-first": memfd(0, vmo=0, size=0) + memfd(0, vmo=0, size=16)
    + memfd(1, vmo_pages=1, size=0),
    # 8: mmio_vmo_create(0) and sizes that round past the end are refused.
    "defect8-vmo-sizes": memfd(0, vmo=0) + memfd(0, vmo="huge"),
    # An empty region has rights too: read-only and guarded survive a split
    # and a wrap, until it is released.
    "empty-regions-keep-their-rights": read_only(3) + store(3, 4, small(0), 1)
    + split(3, 4, small(0)) + store(4, 1, small(0), 1) + guard(5) + load(5, 8, small(0))
    + trace(3) + store(3, 2, small(1), 1) + release(3) + release(4) + release(5),
    # A read-only region keeps refusing stores as READ_ONLY when wrapped.
    "wrapped-read-only": memory(0, 16, skew=0) + read_only(0) + trace(0)
    + store(0, 4, small(2), 1) + store(0, 4, small(4), 1) + modify(0, 2, small(2), 1, 1)
    + memory(1, 16) + read_only(1) + checker(1) + store(1, 8, small(1), 1) + release(0) + release(1),
}


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, program in SEEDS.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(program)
    print(f"{len(SEEDS)} seeds in {OUT}")


if __name__ == "__main__":
    main()
