"""Fixtures for the mmio command's tests: the built binary, run as a user
would run it, and memory objects (POSIX shm, files) whose bytes the tests
set and inspect directly."""

import os
import struct
import subprocess
import uuid
from pathlib import Path

import pytest

TOOL = os.environ.get("MMIO_TOOL")
SOURCE_DIR = Path(__file__).resolve().parents[2]
EDU_SVD = SOURCE_DIR / "examples" / "edu" / "edu.svd"
EDU_REGS = SOURCE_DIR / "examples" / "edu" / "edu.regs"
DATA = SOURCE_DIR / "tests" / "data"


class Result:
    def __init__(self, proc):
        self.rc = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    def __repr__(self):
        return f"rc={self.rc}\nstdout:\n{self.out}\nstderr:\n{self.err}"


def run(*args, input=None, env=None, timeout=60):
    """Runs the mmio binary with args (strings); returns its Result."""
    if TOOL is None:
        pytest.fail("MMIO_TOOL is not set: run these tests through ctest")
    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    proc = subprocess.run([TOOL, *map(str, args)], input=input, capture_output=True,
                          text=True, env=full_env, timeout=timeout)
    return Result(proc)


@pytest.fixture
def mmio():
    return run


class Shm:
    """A POSIX shm object of size bytes, filled with a known pattern, and
    removed afterwards. spec is its mmio source spec."""

    def __init__(self, size=4096):
        self.name = f"mmio-test-{uuid.uuid4().hex[:12]}"
        self.path = Path("/dev/shm") / self.name
        self.size = size
        self.path.write_bytes(bytes((i * 7 + 3) & 0xff for i in range(size)))
        self.spec = f"shm:{self.name}"

    def bytes(self):
        return self.path.read_bytes()

    def u32(self, off):
        return struct.unpack_from("<I", self.bytes(), off)[0]

    def put32(self, off, value):
        with open(self.path, "r+b") as f:
            f.seek(off)
            f.write(struct.pack("<I", value))


@pytest.fixture
def shm():
    s = Shm()
    yield s
    s.path.unlink(missing_ok=True)


@pytest.fixture(autouse=True, scope="session")
def private_lock_dir(tmp_path_factory):
    """Lock files go to a directory of this run, not /run/lock."""
    os.environ["MMIO_LOCK_DIR"] = str(tmp_path_factory.mktemp("locks"))
