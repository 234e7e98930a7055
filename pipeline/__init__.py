"""Orchestration: one document through a list of stages, batches, CLI, audit."""

from importlib.metadata import PackageNotFoundError, version

try:
    PIPELINE_VERSION = version("thaiplan")
except PackageNotFoundError:  # running from a source tree without install
    PIPELINE_VERSION = "0.0.0+src"
