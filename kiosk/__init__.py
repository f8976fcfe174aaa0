"""Branch risk-profile kiosk."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("branch-risk-kiosk")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0.0.0+unknown"
