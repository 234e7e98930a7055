"""Stages that read sources and find structures in them."""
