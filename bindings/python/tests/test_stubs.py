"""The installed type stubs declare exactly what the module has."""

import ast
import os

import mmio


def stub_tree():
    path = os.path.join(os.path.dirname(mmio.__file__), "__init__.pyi")
    with open(path, encoding="utf-8") as f:
        return ast.parse(f.read())


def test_the_stubs_declare_every_public_name_and_nothing_else():
    declared = set()
    for node in stub_tree().body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef)):
            declared.add(node.name)
        elif isinstance(node, ast.AnnAssign):
            declared.add(node.target.id)
    declared = {n for n in declared if not n.startswith("_")}
    assert declared == set(mmio.__all__)
    assert os.path.exists(os.path.join(os.path.dirname(mmio.__file__), "py.typed"))


def test_the_stubs_give_each_exception_its_bases():
    classes = {node.name: node for node in stub_tree().body if isinstance(node, ast.ClassDef)}
    for name in mmio.__all__:
        cls = getattr(mmio, name)
        if isinstance(cls, type) and issubclass(cls, BaseException):
            bases = [ast.unparse(b) for b in classes[name].bases]
            assert bases == [b.__name__ for b in cls.__bases__], name


def test_the_stubs_name_the_methods_a_region_has():
    classes = {node.name: node for node in stub_tree().body if isinstance(node, ast.ClassDef)}
    stubbed = {n.name for n in classes["Region"].body if isinstance(n, ast.FunctionDef)}
    public = {n for n in dir(mmio.Region) if not n.startswith("_")}
    assert public <= stubbed
