"""Bad input: each case gets one line on stderr that says what is wrong,
its exit status, and leaves the object's bytes exactly as they were,
because every command is judged before the first access."""

import json
import os
import shutil
import stat
import subprocess
import tempfile

import pytest

from conftest import EDU_SVD, TOOL

# (arguments after the source, exit status, text the message must contain)
CASES = [
    # malformed numbers and trailing junk
    (["read", "0x1g"], 2, "'0x1g' is not a number"),
    (["read", "12ab"], 2, "'12ab' is not a number"),
    (["write", "0", "0xzz"], 2, "'0xzz' is not a number"),
    (["read", "0x10", "3x"], 2, "'3x' is not a number"),
    (["read", "010"], 2, "no leading zero"),
    (["read", "1__0"], 2, "'1__0' is not a number"),
    (["write", "0", "1", "2", ";", "read", "0", "1", "2"], 2, "usage: read[W] OFF [COUNT] (mmio read --help)"),
    # negative and overflowing offsets
    (["read", "-4"], 2, "no sign"),
    (["read", "0x1_0000_0000_0000_0000"], 2, "does not fit in 64 bits"),
    (["read", "18446744073709551612"], 2, "runs past the end"),
    (["read", "16G"], 2, "runs past the end"),
    # widths that do not exist
    (["read12", "0"], 2, "'read12' is not a command"),
    (["dump", "0", "16", "--width", "24"], 2, "no 24-bit access"),
    (["read", "0:40:0"], 2, "not HI:LO within the 32 bits of the element"),
    # unaligned offsets
    (["read", "2"], 2, "not aligned for a 32-bit access"),
    (["write64", "4", "1"], 2, "not aligned for a 64-bit access"),
    (["dump", "1", "8"], 2, "not aligned"),
    # lengths past the end, and ranges that do not divide
    (["dump", "0", "8k"], 2, "runs past the end"),
    (["fill", "4092", "8", "0"], 2, "runs past the end"),
    (["copy", "0", "4090", "8", "--width", "16"], 2, "runs past the end"),
    (["dump", "0", "6"], 2, "not a whole number of 32-bit elements"),
    (["read", "4092", "2"], 2, "runs past the end"),
    # values too wide for their width or field
    (["write8", "0", "256"], 2, "does not fit the 8 bits"),
    (["write", "0:3:0", "16"], 2, "does not fit the 4 bits"),
    (["fill", "0", "8", "0x1ffff", "--width", "16"], 2, "does not fit the 16 bits"),
    (["modify", "0", "0xf", "0x10"], 2, "bits outside mask"),
    # commands and options that do not exist or are misplaced
    (["frobnicate", "0"], 2, "'frobnicate' is not a command"),
    (["read", "0", "--width", "8"], 2, "read takes no option --width"),
    (["poll", "0", "1"], 2, "usage: poll[W] OFF MASK EXPECTED"),
    (["poll", "0", "1", "1", "--timeout", "soon"], 2, "not a duration"),
    (["read", "ID"], 2, "register names need --regs FILE"),
    # a later command's error stops the earlier ones too
    (["write", "0", "0x11111111", ";", "write", "4", "0x22222222", ";", "write", "3", "1"], 2,
     "command 3: offset 0x3 is not aligned"),
]


@pytest.mark.parametrize("args,status,message", CASES, ids=[" ".join(c[0]) for c in CASES])
def test_bad_input_is_refused_before_any_access(mmio, shm, args, status, message):
    before = shm.bytes()
    r = mmio(shm.spec, *args)
    assert r.rc == status, r
    assert r.out == ""
    assert r.err.startswith("mmio: ") and len(r.err.splitlines()) == 1, r
    assert message in r.err, r
    assert shm.bytes() == before


NAME_CASES = [
    (["read", "EDU.NOPE"], 2, "NOPE"),
    (["read", "EDU.STATUS.NOPE"], 2, "NOPE"),
    (["read", "EDUX.ID"], 2, "EDUX"),
    (["write", "EDU.STATUS.IRQ_FACT", "2"], 2, "does not fit the 1 bits"),
    (["write", "EDU.ID", "1"], 2, "read-only"),
    (["write", "EDU.STATUS.COMPUTING", "1"], 2, "read-only"),
    (["read", "EDU.IRQ_ACK"], 2, "write-only"),
    (["read16", "EDU.ID"], 2, "EDU.ID is 32 bits wide"),
    (["write", "EDU.DMA_CMD.DIRECTION", "SIDEWAYS"], 2, "RAM_TO_EDU"),
    (["read", "EDU.FACTORIAL", "2"], 2, "give an offset"),
    (["read", "EDU"], 2, "is a peripheral"),
]


@pytest.mark.parametrize("args,status,message", NAME_CASES,
                         ids=[" ".join(c[0]) for c in NAME_CASES])
def test_bad_names_are_refused_before_any_access(mmio, shm, args, status, message):
    before = shm.bytes()
    r = mmio("--regs", EDU_SVD, shm.spec, *args)
    assert r.rc == status, r
    assert len(r.err.splitlines()) == 1 and message in r.err, r
    assert shm.bytes() == before


def test_a_store_to_a_device_needs_write_and_accesses_nothing(mmio):
    # The check comes before the device is even looked for.
    for spec in ("pci:0000:00:1f.7/bar0", "phys:0x1000+0x1000", "uio:uio9/map0",
                 "vfio:0000:00:1f.7/bar0"):
        r = mmio(spec, "read", 0, ";", "write", 0, 1)
        assert r.rc == 2, r
        assert "needs --write (-w)" in r.err and "nothing was accessed" in r.err


def test_unknown_sources_are_usage_errors(mmio):
    for spec in ("nope:x", "pci:zz/bar0", "shm:", "fake:nothing", "phys:0x1000"):
        r = mmio(spec, "read", 0)
        assert r.rc == 2, (spec, r)
        assert len(r.err.splitlines()) == 1


def test_missing_files_are_open_failures(mmio, shm, tmp_path):
    before = shm.bytes()
    r = mmio(f"file:{tmp_path}/none", "read", 0)
    assert r.rc == 1 and "does not exist" in r.err, r
    r = mmio("--regs", tmp_path / "none.svd", shm.spec, "read", 0)
    assert r.rc == 1 and "none.svd" in r.err, r
    r = mmio(shm.spec, "write", 0, 1, ";", "load", 0, tmp_path / "none.bin")
    assert r.rc == 1 and "none.bin" in r.err, r
    r = mmio(shm.spec, "--batch", tmp_path / "none.txt")
    assert r.rc == 1 and "none.txt" in r.err, r
    assert shm.bytes() == before


def test_permission_denied_is_an_open_failure_with_advice(mmio):
    with tempfile.TemporaryDirectory() as d:
        os.chmod(d, 0o755)
        f = os.path.join(d, "regs.bin")
        with open(f, "wb") as fh:
            fh.write(bytes(4096))
        os.chmod(f, 0)
        cmd = [TOOL, f"file:{f}", "read", "0"]
        if os.geteuid() == 0:
            # Root reads any file: run as nobody to be refused.
            if shutil.which("setpriv") is None:
                pytest.skip("setpriv is needed to drop root")
            os.chmod(TOOL, os.stat(TOOL).st_mode | stat.S_IROTH | stat.S_IXOTH)
            cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] + cmd
        proc = subprocess.run(cmd, capture_output=True, text=True)
        assert proc.returncode == 1, proc
        assert "Permission denied" in proc.stderr or "permission" in proc.stderr, proc


def test_a_garbage_batch_line_names_its_line(mmio, shm, tmp_path):
    batch = tmp_path / "batch"
    batch.write_text("# set up\nwrite 0 1\n\n  \x7fgarbage here\n")
    before = shm.bytes()
    r = mmio(shm.spec, "--batch", batch)
    assert r.rc == 2, r
    assert r.err.startswith("mmio: line 4: ") and "is not a command" in r.err
    assert shm.bytes() == before


def test_an_error_on_line_7_runs_none_of_lines_1_to_6(mmio, shm, tmp_path):
    lines = [f"write {4 * i} 0x{i:08x}" for i in range(6)] + ["write 0x1000 1"]
    batch = tmp_path / "batch"
    batch.write_text("\n".join(lines) + "\n")
    before = shm.bytes()
    r = mmio(shm.spec, "--batch", batch)
    assert r.rc == 2, r
    assert r.err.startswith("mmio: line 7: ") and "runs past the end" in r.err
    assert shm.bytes() == before


def test_more_refusals_before_any_access(mmio, shm, tmp_path):
    before = shm.bytes()
    cases = [
        (["read", "0", "0x4000000000000000"], 2, "larger than any source"),
        # An output file that cannot be opened is a failed open, as a
        # missing input file is: status 1, and still nothing accessed.
        (["write", "0", "0x99", ";", "dump", "0", "16", "-o", "/nonexistent/x"], 1,
         "cannot be created in /nonexistent"),
        (["write", "0", "1", ";", "dump", "0", "16", "-o", str(tmp_path)], 2, "is a directory"),
        (["read", "0", "--json"], 2, "option of the whole run"),
        (["watch", "0", "--count", "0"], 2, "--count 0 would stop before the first change"),
        (["modify8", "0", "0x1ff", "0"], 2, "mask 0x1ff does not fit the 8 bits"),
    ]
    for args, status, message in cases:
        r = mmio(shm.spec, *args)
        assert r.rc == status and message in r.err, (args, r)
        assert shm.bytes() == before


def test_names_in_transfers_follow_the_register(mmio, shm):
    before = shm.bytes()
    r = mmio("--regs", EDU_SVD, shm.spec, "fill", "EDU.ID", 4, 1)
    assert r.rc == 2 and "read-only" in r.err, r
    r = mmio("--regs", EDU_SVD, shm.spec, "dump", "EDU.IRQ_RAISE", 4)
    assert r.rc == 2 and "write-only" in r.err, r
    assert shm.bytes() == before
    # The register's width is the default element width.
    r = mmio("--regs", EDU_SVD, shm.spec, "fill", "EDU.DMA_SRC", 8, "0xffffffffffffffff")
    assert r.rc == 0, r
    assert shm.bytes()[0x80:0x88] == b"\xff" * 8


def test_odd_command_lines_get_a_usage_error(mmio):
    r = mmio("nosuch", "--help")
    assert r.rc == 2 and "'nosuch' is not a command" in r.err
    r = mmio("-qx", "fake:edu", "read", 0)
    assert r.rc == 2 and "unknown option '-x'" in r.err
    r = mmio("--regs", "a" * 5000 + ":P", "fake:edu", "read", 0)
    assert r.rc in (1, 2) and len(r.err.splitlines()) == 1
    r = mmio("--cache", "write-combining", "fake:edu", "read", 0)
    assert r.rc == 1 and "no mapping" in r.err
    r = mmio("--regs", f"{EDU_SVD}:EDU", "--peripheral", "OTHER", "fake:edu", "read", "ID")
    assert r.rc == 2 and "two peripherals" in r.err


def test_json_reports_usage_errors_as_a_document(mmio):
    for args in (["--json", "--cache", "bogus", "fake:edu", "read", 0], ["--json"],
                 ["--json", "fake:edu"]):
        r = mmio(*args)
        assert r.rc == 2, (args, r)
        doc = json.loads(r.out)
        assert doc["results"] == [] and doc["error"], args
