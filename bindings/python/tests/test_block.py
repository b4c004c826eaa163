"""Block transfers: one access of the given width per element, at
ascending offsets, everything checked before the first."""

import array

import pytest

import mmio


@pytest.mark.parametrize("width,code", [(1, "B"), (2, "H"), (4, "I"), (8, "Q")])
def test_read_block_returns_an_array_of_that_width(memfd, width, code):
    memfd.pwrite(bytes(range(64)), 0)
    r = memfd.open(0, 64)
    a = r.read_block(8, 4, width=width)
    assert isinstance(a, array.array) and a.typecode == code and a.itemsize == width
    assert a.tobytes() == bytes(range(8, 8 + 4 * width))
    assert list(r.read_block(0, 0, width)) == []


@pytest.mark.parametrize("width", [1, 2, 4, 8])
def test_write_block_stores_ints_at_ascending_offsets(memfd, width):
    r = memfd.open(0, 64)
    values = [(0x11 * (i + 1)) & ((1 << (8 * width)) - 1) for i in range(5)]
    r.write_block(width, values, width=width)
    got = memfd.pread(6 * width, 0)
    assert got[:width] == bytes(width)
    assert [int.from_bytes(got[(i + 1) * width:(i + 2) * width], "little")
            for i in range(5)] == values
    assert list(r.read_block(width, 5, width)) == values


def test_write_block_takes_any_iterable_of_ints(memfd):
    r = memfd.open(0, 64)
    r.write_block(0, (i * 3 for i in range(4)))
    r.write_block(16, range(4), width=2)
    assert list(r.read_block(0, 4)) == [0, 3, 6, 9]
    assert list(r.read_block(16, 4, width=2)) == [0, 1, 2, 3]


def test_write_block_takes_no_more_values_than_fit(memfd):
    r = memfd.open(0, 64)
    # An endless iterable is read one past what fits, then refused whole.
    taken = []

    def endless():
        while True:
            taken.append(1)
            yield len(taken)

    with pytest.raises(mmio.OutOfRange):
        r.write_block(32, endless())
    assert len(taken) == 9 and memfd.pread(64, 0) == bytes(64)
    # A sized one, or a buffer, too long: refused before a value is read.
    with pytest.raises(mmio.OutOfRange):
        r.write_block(0, range(2**40))
    with pytest.raises(mmio.OutOfRange):
        r.write_block(8, array.array("I", range(15)))
    with pytest.raises(mmio.OutOfRange):
        r.write_block(128, [1])
    # Exactly what fits is taken, from a generator as from a list.
    r.write_block(32, (i + 1 for i in range(8)))
    assert list(r.read_block(32, 8)) == [1, 2, 3, 4, 5, 6, 7, 8]
    r.write_block(64, [])


def test_write_block_takes_a_buffer_of_the_element_size(memfd):
    r = memfd.open(0, 64)
    r.write_block(0, array.array("I", [0xDEADBEEF, 0x01234567]))
    r.write_block(8, b"\x01\x02\x03", width=1)
    r.write_block(16, memoryview(array.array("Q", [1 << 63])), width=8)
    r.write_block(24, bytearray(b"\xff\xee"), width=1)
    assert memfd.pread(11, 0) == bytes.fromhex("efbeadde67452301010203")
    assert r.read64(16) == 1 << 63
    assert r.read16(24) == 0xEEFF


def test_a_buffer_of_another_element_size_or_kind_is_a_type_error(memfd):
    r = memfd.open(0, 64)
    for values, width in ((b"\x00\x00\x00\x00", 4), (array.array("I", [1]), 8),
                          (array.array("f", [1.0]), 4), (array.array("i", [-1]), 4)):
        with pytest.raises(TypeError):
            r.write_block(0, values, width=width)
    with pytest.raises(TypeError):
        r.write_block(0, "abcd", width=1)
    with pytest.raises(TypeError):
        r.write_block(0, 5)
    assert memfd.pread(64, 0) == bytes(64)


def test_a_bad_value_anywhere_writes_nothing(memfd):
    r = memfd.open(0, 64)
    with pytest.raises(OverflowError):
        r.write_block(0, [1, 2, 1 << 32])
    with pytest.raises(OverflowError):
        r.write_block(0, [1, -1], width=1)
    with pytest.raises(TypeError):
        r.write_block(0, [1, 2, "3"])
    assert memfd.pread(64, 0) == bytes(64)


def test_a_block_past_the_end_or_unaligned_accesses_nothing(memfd):
    r = memfd.open(0, 64)
    with pytest.raises(mmio.OutOfRange):
        r.write_block(60, [1, 2])
    with pytest.raises(mmio.OutOfRange):
        r.read_block(60, 2)
    with pytest.raises(mmio.OutOfRange):
        r.read_block(0, 1 << 62, width=8)  # refused before anything is allocated
    with pytest.raises(mmio.Unaligned):
        r.write_block(2, [1, 2])
    with pytest.raises(mmio.Unaligned):
        r.read_block(2, 1)
    assert memfd.pread(64, 0) == bytes(64)


def test_bad_widths_and_counts_are_refused(memfd):
    r = memfd.open(0, 64)
    for width in (0, 3, 16, -4):
        with pytest.raises((ValueError, OverflowError)):
            r.read_block(0, 1, width=width)
        with pytest.raises((ValueError, OverflowError)):
            r.write_block(0, [1], width=width)
    with pytest.raises(OverflowError):
        r.read_block(0, -1)
    with pytest.raises(TypeError):
        r.read_block(0, 1.5)


def test_a_block_on_a_device_is_made_of_accesses_of_its_width(edu):
    # edu's DMA registers take 32- and 64-bit accesses, nothing narrower.
    edu.write_block(0x80, [0x1111, 0x2222], width=8)
    assert list(edu.read_block(0x80, 4, width=4)) == [0x1111, 0, 0x2222, 0]
    with pytest.raises(mmio.Rejected, match="16-bit"):
        edu.read_block(0x80, 2, width=2)
