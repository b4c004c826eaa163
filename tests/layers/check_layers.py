#!/usr/bin/env python3
"""Checks the layering rule of docs/design.md against built objects.

The table in docs/design.md says, for each layer, its folder, the library
it goes into, its public headers and the layers it may use. This reads the
same rows and then looks only at what the compiler and linker produced:

  symbols   every undefined symbol of a layer's object (readelf) must be
            defined by that layer or by one it may use; across a library
            boundary the definition must be exported (default visibility);
            a symbol of ours that nothing defines is a violation too; and
            no layer of libmmio may call the threads library
  includes  every header in an object's dependency file (the compiler's
            -MD output, next to the object) must be a public header or the
            internal header of that layer or one it may use, in the same
            library; core includes no Linux or asm header

Code outside the library (--outside: tools, bindings) may include public
headers only and use exported symbols only. A test (--test) may include the
public headers and the internal headers of one layer and those it may use;
its sources never reach into src/ by a relative path.

usage: check_layers.py SOURCE_DIR [--layer NAME=OBJ,OBJ...]...
                       [--outside NAME=OBJ,...]... [--test NAME=OBJ,...]...
                       [--expect REGEX]
With --expect, the run succeeds only when it finds violations and one of
them matches REGEX (to prove a planted violation is caught).
"""
import os
import re
import subprocess
import sys

ROW = re.compile(r"^\| `([a-z]+)` \| `([^`]+)` \| `([^`]+)` \|([^|]*)\|([^|]*)\|$")


def read_table(src):
    layers = {}
    with open(os.path.join(src, "docs", "design.md")) as f:
        for line in f:
            m = ROW.match(line.rstrip("\n"))
            if not m:
                continue
            name, folder, library, headers, uses = m.groups()
            layers[name] = {
                "folder": os.path.join(src, folder),
                "library": library,
                "headers": set(re.findall(r"`([^`]+)`", headers)),
                "uses": set(re.findall(r"`([a-z]+)`", uses)),
            }
    if not layers:
        sys.exit("check_layers: no layer rows in docs/design.md")
    return layers


def symbols(obj):
    """(defined {name: visibility}, undefined {name}) of an object file."""
    out = subprocess.run(["readelf", "-sW", obj], check=True, capture_output=True, text=True).stdout
    defined, undefined = {}, set()
    for line in out.splitlines():
        f = line.split()
        # Num: Value Size Type Bind Vis Ndx Name
        if len(f) < 8 or not f[0].endswith(":") or f[4] not in ("GLOBAL", "WEAK"):
            continue
        if f[6] == "UND":
            undefined.add(f[7])
        else:
            defined[f[7]] = f[5]
    return defined, undefined


def depfile(obj):
    """The source and the headers an object was compiled from."""
    path = obj + ".d"
    if not os.path.exists(path):
        sys.exit("check_layers: no dependency file %s (build with a Makefile or Ninja "
                 "generator and gcc or clang)" % path)
    with open(path) as f:
        text = f.read().replace("\\\n", " ")
    deps = []
    for rule in text.split("\n"):
        if ":" not in rule:
            continue
        _, _, rhs = rule.partition(": ")
        deps += [d.replace("\\ ", " ") for d in re.split(r"(?<!\\)\s+", rhs.strip()) if d]
        break
    return [os.path.realpath(d) for d in deps]


class Checker:
    def __init__(self, src, layers):
        self.src = os.path.realpath(src)
        self.layers = layers
        self.violations = []
        self.defs = {}  # symbol -> (unit, source, visibility)
        self.units = []  # (kind, name, [objects])
        self.header_layer = {}
        for name, l in layers.items():
            for h in l["headers"]:
                self.header_layer[os.path.join(self.src, "include", "mmio", h)] = name

    def rel(self, path):
        return os.path.relpath(path, self.src) if path.startswith(self.src + os.sep) else path

    def fail(self, msg):
        self.violations.append(msg)

    def add(self, kind, spec):
        name, _, objs = spec.partition("=")
        objs = [o for o in objs.split(",") if o]
        if kind == "layer" and name not in self.layers:
            sys.exit("check_layers: unknown layer %s" % name)
        self.units.append((kind, name, objs))

    def allowed(self, name):
        return {name} | self.layers[name]["uses"]

    def library(self, kind, name):
        return self.layers[name]["library"] if kind == "layer" else kind + ":" + name

    def run(self):
        parsed = []
        for kind, name, objs in self.units:
            for obj in objs:
                deps = depfile(obj)
                source = self.rel(deps[0]) if deps else obj
                defined, undefined = symbols(obj)
                for sym, vis in defined.items():
                    self.defs[sym] = (kind, name, source, vis)
                parsed.append((kind, name, obj, source, deps, undefined))
        for kind, name, obj, source, deps, undefined in parsed:
            reached = set()
            self.check_symbols(kind, name, source, undefined, reached)
            self.check_includes(kind, name, source, deps, reached)

    def check_symbols(self, kind, name, source, undefined, reached):
        for sym in sorted(undefined):
            d = self.defs.get(sym)
            if d is None:
                if sym.startswith("mmio"):
                    self.fail("%s (%s) uses %s, which nothing in the library defines" % (source, name, sym))
                elif sym.startswith("pthread_") and kind == "layer" and self.layers[name]["library"] == "mmio":
                    self.fail("%s (%s) calls %s: only libmmio-testing may use the threads library"
                              % (source, name, sym))
                continue
            dkind, dname, dsource, vis = d
            if kind == "layer" and dkind == "layer":
                if dname not in self.allowed(name):
                    self.fail("%s (%s) uses %s, defined in %s (%s); %s may use: %s"
                              % (source, name, sym, dsource, dname, name,
                                 ", ".join(sorted(self.layers[name]["uses"])) or "nothing"))
                    continue
            elif kind == "layer":
                self.fail("%s (%s) uses %s, defined outside the library in %s" % (source, name, sym, dsource))
                continue
            elif kind == "test" and dkind == "layer" and vis != "DEFAULT":
                # Tests link the static libraries and may reach the
                # internals of the layer they test (checked below).
                reached.add(dname)
                continue
            if self.library(kind, name) != self.library(dkind, dname) and vis != "DEFAULT":
                self.fail("%s (%s) uses %s from %s, which is not exported from its library"
                          % (source, name, sym, dsource))

    def project_files_include(self, deps, pattern):
        """The first project file among deps with an #include matching pattern."""
        for dep in deps:
            if not dep.startswith(self.src + os.sep):
                continue
            with open(dep, errors="replace") as f:
                for n, line in enumerate(f, 1):
                    if re.match(r"\s*#\s*include\s*<" + pattern, line):
                        return "%s:%d" % (self.rel(dep), n)
        return None

    def check_includes(self, kind, name, source, deps, reached):
        src_root = os.path.join(self.src, "src") + os.sep
        test_layers = set(reached)
        for dep in deps[1:]:
            rel = self.rel(dep)
            if dep in self.header_layer:
                owner = self.header_layer[dep]
                if kind == "layer" and owner not in self.allowed(name):
                    self.fail("%s (%s) includes %s, a public header of %s" % (source, name, rel, owner))
            elif rel == "include/mmio/mmio.h":
                if kind == "layer":
                    self.fail("%s (%s) includes the umbrella header %s" % (source, name, rel))
            elif dep.startswith(src_root):
                owner = next((n for n, l in self.layers.items()
                              if dep.startswith(l["folder"] + os.sep)), None)
                if kind == "layer":
                    if owner is None or owner not in self.allowed(name) or \
                            self.layers[owner]["library"] != self.layers[name]["library"]:
                        self.fail("%s (%s) includes %s, an internal header of %s"
                                  % (source, name, rel, owner or "no layer"))
                elif kind == "test" and owner is not None:
                    test_layers.add(owner)
                else:
                    self.fail("%s (%s) includes %s: code outside the library includes public "
                              "headers only" % (source, name, rel))
            elif dep.startswith(self.src + os.sep):
                # Outside code and tests have headers of their own (tools/,
                # tests/helpers.h); the library has none outside src/.
                if kind == "layer":
                    self.fail("%s (%s) includes %s, which is not a header of the library"
                              % (source, name, rel))

        # What the project's own files include directly (the C library's
        # headers include kernel headers of their own, which is fine).
        if kind == "layer" and name == "core":
            where = self.project_files_include(deps, r"(linux|asm|asm-generic|sys/(mman|ioctl|sysmacros|vfs|eventfd))[/.]")
            if where:
                self.fail("%s (core) includes a Linux header at %s: the core is portable C" % (source, where))
        if kind == "layer" and self.layers[name]["library"] == "mmio":
            where = self.project_files_include(deps, r"pthread\.h")
            if where:
                self.fail("%s (%s) includes pthread.h at %s: only libmmio-testing uses threads"
                          % (source, name, where))
        if kind == "test" and test_layers:
            top = [l for l in test_layers if test_layers <= self.allowed(l)]
            if not top:
                self.fail("%s (test) includes internal headers of %s: a test reaches one layer"
                          % (source, ", ".join(sorted(test_layers))))
        if kind == "test" and deps:
            with open(deps[0], errors="replace") as f:
                for n, line in enumerate(f, 1):
                    if re.match(r'\s*#\s*include\s*"(\.\./)+src/', line):
                        self.fail("%s:%d reaches into src/ by a relative path; link the layer's "
                                  "_internal target instead" % (source, n))


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    src = args.pop(0)
    checker = Checker(src, read_table(src))
    expect = None
    while args:
        opt = args.pop(0)
        if opt in ("--layer", "--outside", "--test") and args:
            checker.add(opt[2:], args.pop(0))
        elif opt == "--expect" and args:
            expect = re.compile(args.pop(0))
        else:
            sys.exit("check_layers: bad argument %s\n%s" % (opt, __doc__))
    checker.run()
    for v in checker.violations:
        print("layer rule broken: " + v)
    if expect is not None:
        hit = [v for v in checker.violations if expect.search(v)]
        print("check_layers: %d violation(s), %d matching the planted one" % (len(checker.violations), len(hit)))
        return 0 if hit else 1
    counted = sum(len(o) for _, _, o in checker.units)
    print("check_layers: %d objects of %d units, %d violation(s)"
          % (counted, len(checker.units), len(checker.violations)))
    return 1 if checker.violations else 0


if __name__ == "__main__":
    sys.exit(main())
