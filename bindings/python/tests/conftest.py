"""Fixtures of the binding's tests: memory objects to map (memfds, shm
objects) and the fake edu device, all through mmio.open's spec strings.

The tests run against the installed package: run.sh installs it into a
virtual environment and says where in MMIO_TEST_PREFIX, and the first
fixture checks that `import mmio` found that copy, not the source tree.
"""

import os
import uuid

import pytest

import mmio

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
EXAMPLES = os.path.join(ROOT, "examples")
EDU_REGS = os.path.abspath(os.path.join(EXAMPLES, "edu", "edu.regs"))
EDU_SVD = os.path.abspath(os.path.join(EXAMPLES, "edu", "edu.svd"))


@pytest.fixture(autouse=True, scope="session")
def installed_package():
    prefix = os.environ.get("MMIO_TEST_PREFIX")
    if prefix is not None:
        where = os.path.realpath(mmio.__file__)
        assert where.startswith(os.path.realpath(prefix) + os.sep), where


class Memfd:
    """A memfd of size bytes and what maps it: spec(offset, length) for
    mmio.open, and pread/pwrite/truncate to see and change the object
    behind the binding's back."""

    def __init__(self, size):
        self.fd = os.memfd_create("mmio-test")
        os.ftruncate(self.fd, size)

    def spec(self, offset=None, length=None):
        s = "file:/proc/self/fd/%d" % self.fd
        if offset is not None:
            s += "@%d" % offset
        if length is not None:
            s += "+%d" % length
        return s

    def open(self, offset=None, length=None, **kw):
        return mmio.open(self.spec(offset, length), **kw)

    def pread(self, n, offset):
        return os.pread(self.fd, n, offset)

    def pwrite(self, data, offset):
        os.pwrite(self.fd, data, offset)

    def truncate(self, size):
        os.ftruncate(self.fd, size)

    def close(self):
        os.close(self.fd)


@pytest.fixture
def memfd():
    """A one-page memfd, zero-filled."""
    m = Memfd(4096)
    yield m
    m.close()


@pytest.fixture
def shm_spec():
    """The spec of a fresh 4 KiB POSIX shm object, removed afterwards."""
    name = "mmio-test-" + uuid.uuid4().hex
    yield "shm:%s+4096" % name
    try:
        os.unlink("/dev/shm/" + name)
    except FileNotFoundError:
        pass


@pytest.fixture
def edu():
    with mmio.open("fake:edu") as r:
        yield r
