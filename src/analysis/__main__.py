"""`python -m analysis` entry point."""

from analysis.cli import program

# Guarded, so that a worker process started by spawn (Windows' only way) that imports
# this module does not run the command line again.
if __name__ == "__main__":
    raise SystemExit(program())
