"""Upstream: see need early, help people through one door, invest where prevention pays back."""

__version__ = "0.1.0"
