"""setuptools entry: the cffi extension is built by csrc/build_rawsock.py (out-of-line API mode)."""

from setuptools import setup

setup(cffi_modules=["csrc/build_rawsock.py:ffibuilder"])
