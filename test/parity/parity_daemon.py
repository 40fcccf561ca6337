"""PySpark's daemon (pyspark.daemon) for the parity runners, with the workers' imports coming from the venv.

Spark puts pyspark.zip, py4j's zip and the spark-core jar first on its Python workers' path; the venv's
pip-installed pyspark holds the same pyspark and py4j. PySpark's worker calls importlib.invalidate_caches()
before every task, and for each zip on the path that reads the archive's whole directory again: about
45 ms of CPU per task, 40 of them for the jar's 5,000 entries, whatever the task does. The daemon forks
every worker, so a path without the archives here is the workers' path too.

Selected with spark.python.daemon.module; this folder is on PYTHONPATH (pyspark-dist.ts, pysparkEnv).
"""
import sys

ARCHIVES = (".zip", ".jar")
sys.path[:] = [p for p in sys.path if not p.endswith(ARCHIVES)]
for entry in [k for k in sys.path_importer_cache if k.endswith(ARCHIVES)]:
    del sys.path_importer_cache[entry]

from pyspark import daemon  # noqa: E402  (after the path is cleaned, so it comes from the venv)

if __name__ == "__main__":
    daemon.manager()
