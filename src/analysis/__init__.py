"""Campaign reporting analytics for the Fangshan District Federation of Trade Unions."""

import os as _os

__version__ = "0.1.0"

# Arrow's allocator, which Arrow chooses once, as pyarrow loads: the system allocator
# unless the user chose one. Arrow's own (mimalloc) costs a full ingest of the scaled
# round 0.91x the wall time and ~13 MiB of peak memory in the run's process (12
# alternated `--full` runs, docs/benchmarks.md): the run allocates and frees many
# short-lived columns, which the system allocator reuses and `ingest._trim_heap`
# hands back. Set here, before anything of the package imports pyarrow; the helper
# processes and notebook kernels a run starts inherit it. (`pa.set_memory_pool`, as
# `ingest.run` also does, reaches only what pyarrow's Python layer allocates.)
ARROW_POOL_ENV = "ARROW_DEFAULT_MEMORY_POOL"
_os.environ.setdefault(ARROW_POOL_ENV, "system")

# OpenBLAS's threads, which it starts as numpy loads and which spin while they wait:
# ~0.06 s of CPU for each process that imports numpy (the run, each helper, each
# kernel), a third of numpy's import; the package does no linear algebra. Set here,
# before numpy loads; a value the user set is kept.
BLAS_THREADS_ENV = "OPENBLAS_NUM_THREADS"
_os.environ.setdefault(BLAS_THREADS_ENV, "1")
