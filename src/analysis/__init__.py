"""Campaign reporting analytics for the Fangshan District Federation of Trade Unions."""

__version__ = "0.1.0"
