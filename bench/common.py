"""What the steps of the benchmark share: Django set-up, where results go, timing helpers."""

import json
import os
import statistics
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
OUT = Path(os.environ.get("BENCH_OUT_DIR", BENCH_DIR / "out"))
RESULTS = OUT / "results"


def django_setup():
    """Set up Django with the bench settings (a step runs as its own process: ``python -m bench.<step>``)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()


def write_result(name, data):
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(data, indent=2, default=str))


def read_result(name):
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    value = function(*args, **kwargs)
    return time.perf_counter() - start, value


def median_ms(seconds):
    return round(statistics.median(seconds) * 1000, 2)


def say(*parts):
    print("[bench]", *parts, flush=True)
