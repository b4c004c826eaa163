"""Each command on real memory objects (shm) and on the edu model, read
back through the object itself: what the command did, not what it said."""

import json
import os
import struct
import time

from conftest import EDU_SVD, Shm


def test_read_prints_offset_and_value_padded_to_the_width(mmio, shm):
    shm.put32(8, 0x00375F00)
    r = mmio(shm.spec, "read", 8)
    assert r.rc == 0, r
    assert r.out == "0x0008: 0x00375f00\n"
    r = mmio(shm.spec, "read8", 9, ";", "read16", 10, ";", "read64", 8)
    expected_64 = struct.unpack_from("<Q", shm.bytes(), 8)[0]
    assert r.out.splitlines() == ["0x0009: 0x5f", "0x000a: 0x0037",
                                  f"0x0008: 0x{expected_64:016x}"]


def test_read_count_reads_consecutive_elements(mmio, shm):
    r = mmio("-q", shm.spec, "read16", 4, 3)
    data = shm.bytes()
    assert r.rc == 0, r
    assert r.out.split() == [f"0x{struct.unpack_from('<H', data, o)[0]:04x}" for o in (4, 6, 8)]


def test_bit_fields_are_read_and_written_by_hi_lo(mmio, shm):
    shm.put32(0, 0xA5A5A5A5)
    r = mmio("-q", shm.spec, "read", "0:11:4")
    assert r.out == "0x5a\n"
    r = mmio(shm.spec, "write", "0:11:4", "0x3c")
    assert r.rc == 0, r
    assert r.out == ""  # writes are silent, as in devmem
    assert shm.u32(0) == 0xA5A5A3C5


def test_write_stores_consecutive_values(mmio, shm):
    r = mmio(shm.spec, "write16", 0x10, 1, 2, "0xff_ff")
    assert r.rc == 0, r
    assert struct.unpack_from("<3H", shm.bytes(), 0x10) == (1, 2, 0xFFFF)


def test_modify_changes_only_the_masked_bits(mmio, shm):
    shm.put32(0x20, 0x11223344)
    r = mmio(shm.spec, "modify", 0x20, "0x00ff00ff", "0x00ab00cd")
    assert r.rc == 0, r
    assert shm.u32(0x20) == 0x11AB33CD


def test_dump_prints_hex_and_ascii_of_what_it_read(mmio, shm):
    shm.put32(0, 0x44434241)
    r = mmio(shm.spec, "dump", 0, 32)
    assert r.rc == 0, r
    lines = r.out.splitlines()
    assert len(lines) == 2
    data = shm.bytes()
    assert lines[0].startswith("00000000  41 42 43 44 ")
    assert lines[0].endswith("|ABCD" + "".join(chr(b) if 32 <= b < 127 else "." for b in data[4:16]) + "|")
    assert lines[1].startswith("00000010  ")


def test_dump_to_a_file_writes_the_raw_bytes(mmio, shm, tmp_path):
    out = tmp_path / "dump.bin"
    r = mmio(shm.spec, "dump", "0x100", "1k", "--width", 64, "-o", out)
    assert r.rc == 0, r
    assert out.read_bytes() == shm.bytes()[0x100:0x500]
    assert not (tmp_path / "dump.bin.partial").exists()


def test_fill_copy_and_load(mmio, shm, tmp_path):
    payload = tmp_path / "payload"
    payload.write_bytes(bytes(range(64)))
    r = mmio(shm.spec, "fill", 0, 16, "0xcafe", "--width", 16, ";",
             "load", 0x40, payload, "--width", 8, ";",
             "copy", 0x40, 0x80, 32)
    assert r.rc == 0, r
    data = shm.bytes()
    assert data[0:16] == bytes.fromhex("fecafeca" * 4)
    assert data[0x40:0x80] == bytes(range(64))
    assert data[0x80:0xA0] == bytes(range(32))


def test_overlapping_copy_moves_like_memmove(mmio, shm):
    before = shm.bytes()
    r = mmio(shm.spec, "copy", 0, 8, 64)
    assert r.rc == 0, r
    assert shm.bytes()[8:72] == before[0:64]
    before = shm.bytes()
    r = mmio(shm.spec, "copy", 8, 0, 64)
    assert shm.bytes()[0:64] == before[8:72]


def test_poll_returns_when_the_bits_match_and_times_out_with_status_3(mmio, shm):
    shm.put32(0, 0x80)
    r = mmio(shm.spec, "poll", 0, "0x80", "0x80")
    assert r.rc == 0, r
    assert r.out.startswith("0x0000: 0x00000080 after ")
    r = mmio(shm.spec, "poll", 0, 1, 1, "--timeout", "30ms", "--interval", "1ms")
    assert r.rc == 3, r
    assert "timed out" in r.err and "0x00000080" in r.err
    assert len(r.err.splitlines()) == 1


def test_watch_prints_each_change_with_a_time(mmio, shm):
    import subprocess
    import threading
    import time
    from conftest import TOOL
    shm.put32(0, 1)
    proc = subprocess.Popen([TOOL, shm.spec, "watch", "0", "--count", "2", "--interval", "1ms"],
                            stdout=subprocess.PIPE, text=True)

    def change():
        time.sleep(0.2)
        shm.put32(0, 2)
        time.sleep(0.2)
        shm.put32(0, 3)

    t = threading.Thread(target=change)
    t.start()
    out, _ = proc.communicate(timeout=10)
    t.join()
    assert proc.returncode == 0
    values = [line.split()[-1] for line in out.splitlines()]
    assert values == ["0x00000001", "0x00000002", "0x00000003"]
    times = [float(line.split()[0]) for line in out.splitlines()]
    assert times == sorted(times) and times[2] >= 0.3


def test_info_describes_the_source(mmio, shm):
    r = mmio(shm.spec, "info")
    assert r.rc == 0, r
    assert f"source     {shm.spec} (shm)" in r.out
    assert "4 KiB (0x1000 bytes)" in r.out
    # How this run maps it, which is not what the object allows.
    assert "mapped read-only (no command of this run stores)" in r.out
    r = mmio("--json", shm.spec, "write", 0, 1, ";", "info")
    assert json.loads(r.out)["results"][1]["mapped_read_only"] is False
    r = mmio("--json", "fake:edu", "info")
    doc = json.loads(r.out)
    info = doc["results"][0]
    assert info["op"] == "info" and info["kind"] == "fake" and info["size"] == 1 << 20
    assert "edu" in info["title"]


def test_json_is_one_document_with_a_result_per_access(mmio, shm):
    shm.put32(0, 7)
    r = mmio("--json", shm.spec, "read", 0, 2, ";", "write8", 3, 1, ";", "modify", 4, 0xff, 0)
    assert r.rc == 0, r
    doc = json.loads(r.out)
    assert doc["source"] == shm.spec
    assert doc["results"][0] == {"op": "read", "offset": 0, "width": 32, "value": 7}
    assert doc["results"][1]["offset"] == 4
    assert doc["results"][2] == {"op": "write", "offset": 3, "width": 8, "value": 1}
    assert doc["results"][3] == {"op": "modify", "offset": 4, "width": 32, "mask": 255, "value": 0}
    assert "error" not in doc


def test_json_reports_the_error_of_a_failed_run(mmio, shm):
    r = mmio("--json", shm.spec, "read", 0x1001)
    assert r.rc == 2
    doc = json.loads(r.out)
    assert doc["results"] == [] and "not aligned" in doc["error"]


def test_quiet_prints_only_the_values(mmio, shm):
    shm.put32(0, 0xABC)
    r = mmio("-q", shm.spec, "read", 0, ";", "write", 4, 1, ";", "read8", 0, ";", "read", "0:11:8")
    assert r.out == "0x00000abc\n0xbc\n0xa\n"


def test_command_options_take_a_value_after_an_equals_sign(mmio, shm):
    r = mmio("-q", shm.spec, "dump", 0, 4, "--width=16", ";", "poll", 0, 0, 0, "--timeout=10ms")
    assert r.rc == 0, r
    assert r.out.split() == ["0x0a03", "0x1811"]


def test_options_may_follow_the_source(mmio, shm):
    r = mmio(shm.spec, "-q", "read", 0)
    assert r.rc == 0 and r.out.startswith("0x") and ":" not in r.out


def test_dry_run_prints_the_accesses_and_makes_none(mmio, shm):
    before = shm.bytes()
    r = mmio("--dry-run", shm.spec, "write", 0, 1, ";", "modify", 4, 0xf, 1, ";", "fill", 0, 64, 0)
    assert r.rc == 0, r
    assert shm.bytes() == before
    assert "1 write32 from 0x0" in r.out and "read32 0x4, then write32" in r.out
    assert "16 write32 of 0x0 from 0x0 to 0x40" in r.out


def test_verify_reports_a_write_that_did_not_hold(mmio):
    # edu's LIVENESS register reads back the inverse of what was written.
    r = mmio("--verify", "fake:edu", "write", 4, 0x12345678)
    assert r.rc == 1
    assert "did not hold" in r.err and "0xedcba987" in r.err
    r = mmio("--verify", "fake:edu", "write", 8, 5)
    assert r.rc == 0, r


def test_verify_reads_back_every_element_of_fill_copy_and_load(mmio, tmp_path):
    data = tmp_path / "one"
    data.write_bytes(struct.pack("<I", 1))
    for args in (["fill", 4, 4, 1], ["copy", 0, 4, 4], ["load", 4, data]):
        r = mmio("--verify", "fake:edu", *args)
        assert r.rc == 1 and "write32 at 0x4 did not hold" in r.err, (args, r)
        # Without --verify the same stores succeed.
        assert mmio("fake:edu", *args).rc == 0, args
    # Memory keeps what was written: every element verifies.
    s = Shm()
    try:
        r = mmio("--verify", s.spec, "fill", 0, 64, 7, ";", "copy", 0, 64, 64, ";", "load", 128, data)
        assert r.rc == 0, r
        assert s.u32(124) == 7 and s.u32(128) == 1
    finally:
        s.path.unlink()


def test_a_failed_transfer_names_the_element_that_failed(mmio):
    # The strict edu model refuses 0x0c, the fourth element.
    r = mmio("fake:edu", "dump", 0, 0x20)
    assert r.rc == 1 and "read32 at 0xc failed" in r.err, r
    r = mmio("fake:edu", "fill", 0x10, 8, 0)
    assert r.rc == 1 and "write32 at 0x10 failed" in r.err, r


def test_the_edu_factorial_through_offsets(mmio):
    r = mmio("-q", "fake:edu", "write", 8, 10, ";", "poll", 0x20, 1, 0, ";", "read", 8)
    assert r.rc == 0, r
    assert r.out.split()[-1] == f"0x{3628800:08x}"


def test_irq_waits_for_the_model_s_interrupt(mmio):
    # Without the interrupt enabled in STATUS, none comes: status 3.
    r = mmio("fake:edu", "write", 8, 4, ";", "irq", "--timeout", "20ms")
    assert r.rc == 3, r
    r = mmio("fake:edu", "write", 0x20, 0x80, ";", "write", 8, 4, ";", "irq", "--timeout", "1s")
    assert r.rc == 0, r
    assert r.out == "irq: 1\n"


def test_irq_on_a_model_waits_as_long_as_its_timeout(mmio):
    start = time.monotonic()
    r = mmio("fake:edu", "irq", "--timeout", "300ms")
    took = time.monotonic() - start
    assert r.rc == 3 and "no interrupt within 0.300 s" in r.err, r
    assert took >= 0.3, took


def test_irq_is_refused_where_there_is_none(mmio, shm):
    r = mmio(shm.spec, "irq")
    assert r.rc == 2 and "no interrupt" in r.err


def test_a_file_source_and_its_window(mmio, tmp_path):
    f = tmp_path / "regs.bin"
    f.write_bytes(bytes(8192))
    r = mmio(f"file:{f}@0x1000+0x100", "write", 0xfc, 0xdeadbeef, ";", "read", 0xfc)
    assert r.rc == 0, r
    assert f.read_bytes()[0x10FC:0x1100] == bytes.fromhex("efbeadde")
    r = mmio(f"file:{f}@0x1000+0x100", "read", 0x100)
    assert r.rc == 2 and "runs past the end" in r.err


def test_dump_to_a_link_or_a_device_writes_through_it(mmio, shm, tmp_path):
    target = tmp_path / "target.bin"
    target.write_bytes(b"old")
    link = tmp_path / "link"
    link.symlink_to(target)
    r = mmio(shm.spec, "dump", 0, 16, "-o", link)
    assert r.rc == 0, r
    assert link.is_symlink() and target.read_bytes() == shm.bytes()[:16]
    import subprocess
    from conftest import TOOL
    p = subprocess.run([TOOL, shm.spec, "dump", "0", "16", "-o", "/dev/stdout"],
                       capture_output=True)
    assert p.returncode == 0 and p.stdout == shm.bytes()[:16]


def test_load_reads_standard_input_and_refuses_an_empty_file(mmio, shm, tmp_path):
    r = mmio(shm.spec, "load", 0x20, "-", "--width", 8, input="ABCDEFGH")
    assert r.rc == 0, r
    assert shm.bytes()[0x20:0x28] == b"ABCDEFGH"
    empty = tmp_path / "empty"
    empty.write_bytes(b"")
    r = mmio(shm.spec, "load", 0, empty)
    assert r.rc == 2 and "is empty" in r.err


def test_dry_run_with_quiet_prints_nothing(mmio, shm):
    before = shm.bytes()
    r = mmio("--dry-run", "-q", shm.spec, "write", 0, 1, ";", "read", 4)
    assert r.rc == 0 and r.out == "" and shm.bytes() == before


def test_a_write_that_did_not_hold_is_in_the_json_before_the_error(mmio):
    r = mmio("--json", "--verify", "fake:edu", "write", 4, 0x12345678)
    assert r.rc == 1
    doc = json.loads(r.out)
    assert doc["results"] == [{"op": "write", "offset": 4, "width": 32, "value": 0x12345678}]
    assert "did not hold" in doc["error"]


def test_a_refused_session_leaves_nothing_behind(mmio, tmp_path):
    import glob
    import os
    name = f"mmio-test-refused-{os.getpid()}"
    lock_dir = os.environ["MMIO_LOCK_DIR"]
    before = set(os.listdir(lock_dir))
    r = mmio(f"shm:{name}+4096", "modify", 0, 1, 1, ";", "write", 0x1000, 1)
    assert r.rc == 2, r
    assert not os.path.exists(f"/dev/shm/{name}")
    assert set(os.listdir(lock_dir)) == before
    # And a dry run creates nothing at all.
    r = mmio("--dry-run", f"shm:{name}+4096", "write", 0, 1)
    assert r.rc == 1 and not os.path.exists(f"/dev/shm/{name}")
    assert not glob.glob(f"/dev/shm/{name}*")
