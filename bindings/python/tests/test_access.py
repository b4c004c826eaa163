"""Reads, writes and read-modify-writes of every width: what they reach,
what they refuse, and that a refused one changes nothing."""

import pytest

import mmio

WIDTHS = (1, 2, 4, 8)
SIZE = 16


def read(r, width, off):
    return getattr(r, "read%d" % (width * 8))(off)


def write(r, width, off, value):
    return getattr(r, "write%d" % (width * 8))(off, value)


def pattern(width, off):
    """A value whose every byte differs, and differs between offsets."""
    return int.from_bytes(bytes((0x80 + off * 8 + i) & 0xFF for i in range(width)), "little")


@pytest.mark.parametrize("base", [0, 1, 2, 4, 8])
@pytest.mark.parametrize("width", WIDTHS)
def test_every_width_at_every_offset_reaches_exactly_its_bytes_or_is_refused(memfd, base, width):
    # The region starts `base` bytes into the object: alignment is judged
    # on the address, so at an odd base the aligned offsets are odd too.
    r = memfd.open(base, SIZE)
    assert len(r) == SIZE
    for off in range(SIZE + 1):
        background = bytes(range(0x20, 0x20 + SIZE + 16))
        memfd.pwrite(background, 0)
        value = pattern(width, off)
        aligned = (base + off) % width == 0
        fits = off + width <= SIZE
        if not aligned:
            expected = mmio.Unaligned
        elif not fits:
            expected = mmio.OutOfRange
        else:
            expected = None
        if expected is None:
            write(r, width, off, value)
            want = bytearray(background)
            want[base + off:base + off + width] = value.to_bytes(width, "little")
            assert memfd.pread(len(want), 0) == bytes(want)
            assert read(r, width, off) == value
        else:
            with pytest.raises(expected) as info:
                write(r, width, off, value)
            assert info.value.code == expected.code
            with pytest.raises(expected):
                read(r, width, off)
            assert memfd.pread(len(background), 0) == background


def test_an_access_to_a_device_is_made_at_its_own_width(edu):
    # The edu model's registers below 0x80 take 32-bit accesses only, and
    # the fake says which width it saw: nothing is widened or split.
    for bits in (8, 16, 64):
        with pytest.raises(mmio.Rejected, match="%d-bit load" % bits):
            getattr(edu, "read%d" % bits)(0x08)
        with pytest.raises(mmio.Rejected, match="%d-bit store" % bits):
            getattr(edu, "write%d" % bits)(0x08, 1)
    assert edu.read32(0x08) == 0  # FACTORIAL: no store got through
    assert edu.read32(0x00) == 0x010000ED


def test_values_wider_than_the_access_raise_overflow_and_write_nothing(memfd):
    r = memfd.open(0, SIZE)
    for width in WIDTHS:
        bits = width * 8
        for bad in (1 << bits, -1):
            with pytest.raises(OverflowError):
                write(r, width, 0, bad)
        write(r, width, 0, (1 << bits) - 1)  # the largest value fits
        assert read(r, width, 0) == (1 << bits) - 1
        memfd.pwrite(bytes(SIZE), 0)
    with pytest.raises(OverflowError):
        r.modify32(0, 1 << 32, 0)
    with pytest.raises(OverflowError):
        r.modify16(0, 0xFFFF, 1 << 16)
    assert memfd.pread(SIZE, 0) == bytes(SIZE)


@pytest.mark.parametrize("bad", ["4", 4.0, None, b"\x04", [4]])
def test_arguments_of_the_wrong_type_raise_type_error_and_access_nothing(memfd, bad):
    r = memfd.open(0, SIZE)
    with pytest.raises(TypeError):
        r.read32(bad)
    with pytest.raises(TypeError):
        r.write32(bad, 1)
    with pytest.raises(TypeError):
        r.write32(0, bad)
    with pytest.raises(TypeError):
        r.modify32(0, bad, 1)
    assert memfd.pread(SIZE, 0) == bytes(SIZE)


def test_wrong_argument_counts_raise_type_error(memfd):
    r = memfd.open(0, SIZE)
    with pytest.raises(TypeError):
        r.write32(0)
    with pytest.raises(TypeError):
        r.modify32(0, 1)
    with pytest.raises(TypeError):
        r.read32()


def test_offsets_outside_any_region_are_out_of_range(memfd):
    r = memfd.open(0, SIZE)
    for off in (-1, -4, SIZE, 1 << 64, -(1 << 70)):
        with pytest.raises(mmio.OutOfRange):
            r.read32(off)
        with pytest.raises(mmio.OutOfRange):
            r.write32(off, 1)
    assert memfd.pread(SIZE, 0) == bytes(SIZE)


def test_index_objects_are_accepted_as_offsets_and_values(memfd):
    class Index:
        def __init__(self, v):
            self.v = v

        def __index__(self):
            return self.v

    r = memfd.open(0, SIZE)
    r.write32(Index(4), Index(0xDEADBEEF))
    assert r.read32(Index(4)) == 0xDEADBEEF
    assert r.read32(True * 4) == 0xDEADBEEF


def test_modify_replaces_only_the_bits_of_the_mask(memfd):
    r = memfd.open(0, SIZE)
    r.write32(0, 0xAAAA5555)
    r.modify32(0, 0x0000FF00, 0x12345678)
    assert r.read32(0) == 0xAAAA5655
    r.write8(8, 0xF0)
    r.modify8(8, 0x0F, 0x0A)
    assert r.read8(8) == 0xFA
    r.write16(10, 0x00FF)
    r.modify16(10, 0xFF00, 0xAB00)
    assert r.read16(10) == 0xABFF
    r.write64(8, 0x1111111111111111)
    r.modify64(8, 0xFFFF000000000000, 0x2222000000000000)
    assert r.read64(8) == 0x2222111111111111
    with pytest.raises(mmio.Unaligned):
        r.modify32(2, 1, 1)
    with pytest.raises(mmio.OutOfRange):
        r.modify64(SIZE, 1, 1)


def test_a_read_only_region_refuses_every_store_and_keeps_its_bytes(memfd):
    memfd.pwrite(bytes(range(SIZE)), 0)
    r = memfd.open(0, SIZE, read_only=True)
    assert r.read_only
    for width in WIDTHS:
        with pytest.raises(mmio.ReadOnly):
            write(r, width, 0, 1)
    with pytest.raises(mmio.ReadOnly):
        r.modify32(0, 1, 1)
    with pytest.raises(mmio.ReadOnly):
        r.write_block(0, [1, 2])
    assert r.read32(0) == 0x03020100
    assert memfd.pread(SIZE, 0) == bytes(range(SIZE))


def test_stores_check_the_write_right_before_alignment_and_range(memfd):
    r = memfd.open(0, SIZE, read_only=True)
    with pytest.raises(mmio.ReadOnly):
        r.write32(3, 1)
    with pytest.raises(mmio.ReadOnly):
        r.write32(SIZE, 1)


def test_make_read_only_drops_the_write_right_for_good(memfd):
    r = memfd.open(0, SIZE)
    assert not r.read_only
    r.write32(0, 7)
    r.make_read_only()
    assert r.read_only
    with pytest.raises(mmio.ReadOnly):
        r.write32(0, 8)
    assert r.read32(0) == 7
    assert memfd.pread(4, 0) == (7).to_bytes(4, "little")


def test_a_shm_object_is_shared_between_regions(shm_spec):
    with mmio.open(shm_spec) as a, mmio.open(shm_spec) as b:
        assert len(a) == len(b) == 4096
        a.write64(0x100, 0x0123456789ABCDEF)
        assert b.read64(0x100) == 0x0123456789ABCDEF
        assert b.read8(0x100) == 0xEF
        assert b.read16(0x106) == 0x0123


def test_cache_policies_are_checked_never_downgraded(memfd):
    assert memfd.open(0, SIZE, cache="cached").read32(0) == 0
    with pytest.raises(mmio.CachePolicy):
        memfd.open(0, SIZE, cache="uncached-device")
    with pytest.raises(ValueError, match="write-combining"):
        memfd.open(0, SIZE, cache="fast")
    with pytest.raises(mmio.CachePolicy):
        mmio.open("fake:edu", cache="uncached")
