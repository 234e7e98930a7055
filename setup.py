"""The one compiled part: extractors/_fastchars.c (the per-character pass over PDF pages).
Optional: without a C compiler the install goes on and the Python path does the same work."""
from setuptools import Extension, setup

setup(ext_modules=[Extension("extractors._fastchars", ["extractors/_fastchars.c"],
                             extra_compile_args=["-O2"], optional=True)])
