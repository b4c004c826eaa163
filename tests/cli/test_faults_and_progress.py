"""What happens around the accesses: a bus error is a message and exit
status 1, not a dead process; progress of long transfers goes to a
terminal only, never into -q or --json output or pipes."""

import os
import pty
import subprocess
import time

from conftest import TOOL


def test_a_file_truncated_under_the_mapping_is_a_reported_bus_error(tmp_path):
    f = tmp_path / "regs.bin"
    f.write_bytes(bytes(8192))
    proc = subprocess.Popen([TOOL, f"file:{f}", "watch", "0x1000", "--interval", "5ms"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = proc.stdout.readline()
    assert first.split()[-1] == "0x00000000"
    os.truncate(f, 4096)
    out, err = proc.communicate(timeout=10)
    assert proc.returncode == 1, (proc.returncode, err)
    assert "read32 at 0x1000 failed: bus error" in err
    assert "MMIO_ERR_BUS_ERROR" in err and len(err.splitlines()) == 1


def run_on_a_terminal(args, env=None):
    """Runs the tool with stderr on a pseudo-terminal; returns (status,
    stdout, what the terminal got)."""
    master, slave = pty.openpty()
    full_env = dict(os.environ, **(env or {}))
    proc = subprocess.Popen([TOOL, *map(str, args)], stdout=subprocess.PIPE, stderr=slave,
                            env=full_env)
    os.close(slave)
    out = proc.stdout.read()
    proc.wait(timeout=30)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    return proc.returncode, out, seen


def test_long_transfers_show_progress_on_a_terminal_only(shm, tmp_path):
    now = {"MMIO_PROGRESS_AFTER": "0"}  # every transfer counts as long
    rc, _, seen = run_on_a_terminal([shm.spec, "fill", 0, 4096, 0, "--width", 8], now)
    assert rc == 0
    assert b"fill: 100% (4096 of 4096 bytes)" in seen and seen.endswith(b"\r\x1b[K")
    rc, out, seen = run_on_a_terminal([shm.spec, "dump", 0, 4096, "-o", tmp_path / "d"], now)
    assert rc == 0 and b"dump: 100%" in seen
    # Not with -q or --json, and not when the transfer is short.
    for args in (["-q", shm.spec, "dump", 0, 64], ["--json", shm.spec, "fill", 0, 64, 0]):
        rc, out, seen = run_on_a_terminal(args, now)
        assert rc == 0 and seen == b"", args
    rc, _, seen = run_on_a_terminal([shm.spec, "fill", 0, 4096, 0])
    assert rc == 0 and seen == b""
    # Not into a pipe.
    p = subprocess.run([TOOL, shm.spec, "fill", "0", "4096", "0"], capture_output=True,
                       env=dict(os.environ, **now))
    assert p.returncode == 0 and p.stderr == b""
