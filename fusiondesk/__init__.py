"""FusionDesk: an offline portfolio for the lead of a low-code Centre of Excellence."""

__version__ = "0.1.0"
APP_NAME = "FusionDesk"
