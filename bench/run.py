"""Run every benchmark in bench/ (files named bench_*.py, each with a `main()` that prints
`name: value unit` lines), each in a process of its own so each sets up its own throwaway
database. `make bench` calls this; `python bench/run.py indicators` runs one.

Figures are measured in one run on this machine and compared as ratios within that run.
"""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    selected = sys.argv[1:]
    failed = 0
    for path in sorted(HERE.glob("bench_*.py")):
        name = path.stem.removeprefix("bench_")
        if selected and name not in selected:
            continue
        print(f"# {name}", flush=True)
        code = f"import bench.{path.stem} as m; m.main()"
        failed |= subprocess.call([sys.executable, "-c", code], cwd=HERE.parent)
    return failed


if __name__ == "__main__":
    sys.exit(main())
