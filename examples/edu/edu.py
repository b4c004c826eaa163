"""A driver for QEMU's edu device in Python, by register names: on the edu
model anywhere (python3 edu.py), on the device in a VM that has one
(python3 edu.py pci:1234:11e8/bar0)."""
import os
import sys

import mmio

HERE = os.path.dirname(os.path.abspath(__file__))


class Edu:
    def __init__(self, bar0, description):
        self.regs = description.bind(bar0)  # names of its one peripheral, EDU
        if self.regs.ID.MAGIC != 0xED:
            raise RuntimeError("not an edu device: ID is %#x" % self.regs.ID.read())

    def version(self):
        return self.regs.ID.MAJOR, self.regs.ID.MINOR

    def factorial(self, n, timeout=1.0):
        self.regs.FACTORIAL = n  # starts computing n!
        self.regs.STATUS.poll(COMPUTING=0, timeout=timeout)  # other threads run meanwhile
        return self.regs.FACTORIAL.read()


def main(spec="fake:edu"):
    with mmio.open(spec) as bar0:
        dev = Edu(bar0, mmio.load_description(os.path.join(HERE, "edu.regs")))
        print("edu %d.%d on %s" % (dev.version() + (spec,)))
        print("10! =", dev.factorial(10))
        print(dev.regs.STATUS.decode(), end="")
        try:
            bar0.read32(len(bar0))  # one past the end: checked, nothing is read
        except mmio.OutOfRange as e:
            print(e.name)


if __name__ == "__main__":
    main(*sys.argv[1:])
