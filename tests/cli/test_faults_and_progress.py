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


def test_ctrl_c_ends_a_watch_and_the_session(shm):
    import signal
    import time
    shm.put32(0, 1)
    proc = subprocess.Popen([TOOL, shm.spec, "watch", "0", ";", "write", "0", "0x77"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline().split()[-1] == "0x00000001"
    time.sleep(0.1)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=10)
    assert proc.returncode == 1 and "command 2 and the commands after it were not run" in err
    assert shm.u32(0) == 1
    # A watch that is the last command ends as asked, with status 0.
    proc = subprocess.Popen([TOOL, shm.spec, "watch", "0"], stdout=subprocess.PIPE, text=True)
    proc.stdout.readline()
    proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=10)
    assert proc.returncode == 0


def test_an_interrupted_dump_writes_no_file(tmp_path):
    import signal
    import time
    big = tmp_path / "big.bin"
    with open(big, "wb") as f:
        f.truncate(256 << 20)
    out = tmp_path / "out.bin"
    proc = subprocess.Popen([TOOL, f"file:{big}", "dump", "0", "256M", "--width", "8", "-o",
                             str(out)], stderr=subprocess.PIPE, text=True)
    time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    if proc.returncode == 0:
        # The machine was quick enough to finish first: then the file is whole.
        assert out.stat().st_size == 256 << 20
    else:
        assert proc.returncode == 1 and "interrupted after" in err
        assert not out.exists() and not (tmp_path / "out.bin.partial").exists()


def test_output_that_cannot_be_written_is_a_failure(shm):
    with open("/dev/full", "w") as full:
        p = subprocess.run([TOOL, shm.spec, "read", "0"], stdout=full, stderr=subprocess.PIPE,
                           text=True)
    assert p.returncode == 1 and "cannot write the output" in p.stderr
