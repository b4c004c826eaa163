"""The exceptions: one class per library code, with the library's code,
name and message, and advice when opening fails."""

import errno
import os

import pytest

import mmio


def error_classes():
    return {name: cls for name, cls in vars(mmio).items()
            if isinstance(cls, type) and issubclass(cls, mmio.Error) and cls is not mmio.Error}


def test_the_named_subclasses_exist_with_the_library_codes():
    assert mmio.OutOfRange.code == -5001 and mmio.OutOfRange.name == "MMIO_ERR_OUT_OF_RANGE"
    assert mmio.Unaligned.name == "MMIO_ERR_UNALIGNED"
    assert mmio.ReadOnly.name == "MMIO_ERR_READ_ONLY"
    assert mmio.BusError.name == "MMIO_ERR_BUS_ERROR"
    assert mmio.Timeout.code == -errno.ETIMEDOUT and mmio.Timeout.name == "ETIMEDOUT"
    for cls in (mmio.OutOfRange, mmio.Unaligned, mmio.ReadOnly, mmio.Timeout, mmio.BusError):
        assert issubclass(cls, mmio.Error)
    assert issubclass(mmio.Error, Exception)


def test_every_library_code_has_its_own_class_named_after_it():
    classes = error_classes()
    codes = [cls.code for cls in classes.values()]
    assert len(codes) == len(set(codes))
    for name, cls in classes.items():
        assert cls.__module__ == "mmio"
        if cls is mmio.Timeout:
            continue
        # MMIO_ERR_OUT_OF_RANGE -> OutOfRange
        assert cls.name.startswith("MMIO_ERR_")
        words = cls.name[len("MMIO_ERR_"):].split("_")
        assert name == "".join(w.capitalize() for w in words)
        assert -5999 <= cls.code <= -5001
    # The library's own codes count up from -5001 without gaps.
    own = sorted(-c for c in codes if c <= -5001)
    assert own == list(range(5001, 5001 + len(own)))
    assert len(own) >= 18


def test_an_instance_carries_code_name_and_the_library_message(memfd):
    r = memfd.open(0, 16)
    with pytest.raises(mmio.OutOfRange) as info:
        r.read32(16)
    e = info.value
    assert e.code == -5001 and e.name == "MMIO_ERR_OUT_OF_RANGE"
    assert "read32 at 0x10" in str(e)
    assert "out of range" in str(e) and "region length 0x10" in str(e)


def test_an_unknown_name_is_also_an_attribute_and_a_key_error():
    assert issubclass(mmio.UnknownName, AttributeError)
    assert issubclass(mmio.UnknownName, KeyError)
    assert str(mmio.UnknownName("plain")) == "plain"


def test_a_missing_object_is_an_error_with_errno_and_advice():
    with pytest.raises(mmio.Error) as info:
        mmio.open("shm:mmio-test-does-not-exist")
    e = info.value
    assert type(e) is mmio.Error
    assert e.code == -errno.ENOENT and e.name == "ENOENT"
    assert "/dev/shm/mmio-test-does-not-exist" in str(e)


def test_a_malformed_spec_lists_the_forms_including_the_models():
    with pytest.raises(mmio.BadSpec) as info:
        mmio.open("bogus:thing")
    text = str(info.value)
    assert "bogus" in text and "shm:NAME" in text and "fake:edu" in text
    with pytest.raises(mmio.BadSpec):
        mmio.open("shm:")
    assert "fake:edu" in mmio.spec_forms()


def test_an_unknown_model_names_the_models_there_are():
    with pytest.raises(mmio.UnknownName, match="fake:edu"):
        mmio.open("fake:nothing")


def test_a_file_too_small_for_the_window_is_out_of_range(memfd):
    with pytest.raises(mmio.OutOfRange):
        memfd.open(4000, 200)


def test_open_takes_only_a_string_spec():
    with pytest.raises(TypeError):
        mmio.open(3)
    with pytest.raises(TypeError):
        mmio.open(b"fake:edu")


def test_a_directory_is_refused_with_the_operating_systems_error(tmp_path):
    with pytest.raises(mmio.Error) as info:
        mmio.open("file:" + str(tmp_path))
    assert info.value.code < 0 and info.value.name.startswith("E")
    assert os.fspath(tmp_path) in str(info.value)
