"""The benchmark, in one run: ``bench/run`` (or ``.venv/bin/python bench/run.py``). See bench/README.md.

1. Two fresh databases (SQLite files under bench/out/, or PostgreSQL databases when
   BENCH_DATABASE_URL is given): migrations, the seed schemes.
2. Query counts of every list page at 10 and at 10,000 rows (second database).
3. The dataset (100,000 certificates, 100,000 applications), then gunicorn with 2 sync
   workers on 127.0.0.1 and wrk against the baseline view and the measured pages.
4. The certificate PDF's warm render time against a minimal WeasyPrint document.
5. Bulk issuance of 1,000 certificates with two worker processes.
6. One summary table with each figure, its target and PASS/FAIL (also bench/out/summary.md).

Exit status: 0 all targets met, 1 a target missed, 2 the run failed.
"""

import argparse
import contextlib
import datetime
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import OUT, RESULTS, read_result, say, write_result  # noqa: E402

PYTHON = sys.executable
VENV_BIN = ROOT / ".venv" / "bin"
STARTED = []  # processes this run started (gunicorn); stopped by pid on exit
PDF_TARGET = 10.0


class BenchError(Exception):
    pass


# --- configuration ------------------------------------------------------------------------------------


def configure(quick):
    """Sizes and durations, from the environment; ``--quick`` is a smoke test of the whole run."""
    defaults = {
        "BENCH_CERTIFICATES": "100000",
        "BENCH_APPLICATIONS": "100000",
        "BENCH_QC_LARGE": "10000",
        "BENCH_ISSUANCE": "1000",
        "BENCH_DURATION": "10",
        "BENCH_WARMUP": "3",
        "BENCH_CONNECTIONS": "8",
    }
    if quick:
        defaults.update(
            BENCH_CERTIFICATES="3000",
            BENCH_APPLICATIONS="3000",
            BENCH_QC_LARGE="500",
            BENCH_ISSUANCE="100",
            BENCH_DURATION="3",
            BENCH_WARMUP="1",
        )
    for key, value in defaults.items():
        os.environ.setdefault(key, value)
    os.environ.setdefault("BENCH_REDIS_URL", "redis://127.0.0.1:6379/1")
    os.environ.setdefault("BENCH_SHARED_CACHE_URL", "redis://127.0.0.1:6379/2")


def database_urls():
    """(main, query counts) database URLs."""
    url = os.environ.get("BENCH_DATABASE_URL", "")
    if not url:
        return f"sqlite:///{OUT / 'bench.sqlite3'}", f"sqlite:///{OUT / 'querycounts.sqlite3'}"
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        raise BenchError("BENCH_DATABASE_URL must be a postgres://… URL (or unset for SQLite).")
    name = parts.path.lstrip("/")
    if "bench" not in name:
        raise BenchError(f"The database is dropped and recreated: its name must contain 'bench' (got {name!r}).")
    return url, urlunsplit(parts._replace(path=f"/{name}_qc"))


def step_env(database_url, **extra):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")}
    env.update(DJANGO_SETTINGS_MODULE="bench.settings", BENCH_DATABASE_URL=database_url, BENCH_OUT_DIR=str(OUT))
    env.update(extra)
    return env


def run_step(label, args, database_url, timeout, **extra):
    say(f"{label} …")
    started = time.perf_counter()
    completed = subprocess.run([PYTHON, *args], cwd=ROOT, env=step_env(database_url, **extra), timeout=timeout)
    if completed.returncode != 0:
        raise BenchError(f"{label} failed (exit {completed.returncode})")
    say(f"{label}: {time.perf_counter() - started:.0f} s")


# --- databases ----------------------------------------------------------------------------------------


def pg_connect(url, dbname=None):
    import psycopg2

    parts = urlsplit(url)
    connection = psycopg2.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password or None,
        dbname=dbname or parts.path.lstrip("/"),
    )
    connection.autocommit = True
    return connection


def sqlite_files(url):
    path = Path(urlsplit(url).path)
    return [Path(f"{path}{suffix}") for suffix in ("", "-journal", "-wal", "-shm")]


def recreate_database(url):
    if url.startswith("sqlite"):
        for path in sqlite_files(url):
            path.unlink(missing_ok=True)
        return
    name = urlsplit(url).path.lstrip("/")
    admin = pg_connect(url, dbname="postgres")
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def drop_database(url):
    if url.startswith("sqlite"):
        for path in sqlite_files(url):
            path.unlink(missing_ok=True)
        return
    admin = pg_connect(url, dbname="postgres")
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{urlsplit(url).path.lstrip("/")}" WITH (FORCE)')
    admin.close()


def database_exists(url):
    if url.startswith("sqlite"):
        return Path(urlsplit(url).path).exists()
    import psycopg2

    try:
        pg_connect(url).close()
    except psycopg2.OperationalError:
        return False
    return True


def database_label(url):
    if url.startswith("sqlite"):
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version} (file {Path(urlsplit(url).path).name})"
    connection = pg_connect(url)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    connection.close()
    return f"PostgreSQL {version.split()[0]} (database {urlsplit(url).path.lstrip('/')})"


def prepare_database(url, label):
    recreate_database(url)
    run_step(f"{label}: migrate", ["manage.py", "migrate", "--noinput", "-v0"], url, timeout=600)
    run_step(f"{label}: seed schemes", ["manage.py", "load_seed_schemes", "-v0"], url, timeout=120)


# --- tools ----------------------------------------------------------------------------------------------


def ensure_wrk():
    if shutil.which("wrk"):
        return shutil.which("wrk")
    if os.geteuid() == 0 and shutil.which("apt-get"):
        say("installing wrk (Debian package) …")
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        if subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], timeout=300, **quiet).returncode != 0:
            subprocess.run(["apt-get", "update", "-qq"], timeout=300, **quiet)
            subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], timeout=300, **quiet)
    if not shutil.which("wrk"):
        raise BenchError("wrk is needed: sudo apt-get install wrk")
    return shutil.which("wrk")


def redis_reachable(url):
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=2) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def machine():
    memory = 0
    with open("/proc/meminfo") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                memory = int(line.split()[1]) / 1024 / 1024
    cpu = ""
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    debian = Path("/etc/debian_version").read_text().strip() if Path("/etc/debian_version").exists() else "?"
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(memory, 1),
        "cpu": cpu,
        "os": f"Debian {debian}, Linux {platform.release()}",
        "python": platform.python_version(),
        "load_before": [round(x, 2) for x in os.getloadavg()],
    }


def source_version():
    commit = os.environ.get("BENCH_COMMIT")
    if commit:
        return commit
    try:
        head = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=10
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except OSError:
        return "unknown"
    return f"{head}{' + uncommitted changes' if dirty else ''}" if head else "unknown"


# --- the load test --------------------------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def shared_cache_env():
    """The served portal's shared cache (DJANGO_SHARED_CACHE_URL), emptied first; {} when Redis is not there."""
    url = os.environ["BENCH_SHARED_CACHE_URL"]
    if not url or not redis_reachable(url):
        say(f"load: no shared cache ({url or 'BENCH_SHARED_CACHE_URL empty'}): each worker keeps its own pages")
        return {}
    import redis

    redis.Redis.from_url(url).flushdb()  # the bench's own database: pages and sessions of an earlier run
    return {"DJANGO_SHARED_CACHE_URL": url}


def start_gunicorn(database_url, port, extra_env):
    gunicorn = VENV_BIN / "gunicorn"
    command = [str(gunicorn)] if gunicorn.exists() else [PYTHON, "-m", "gunicorn"]
    command += [
        "lsp.wsgi:application",
        "--workers",
        "2",
        "--worker-class",
        "sync",
        "--bind",
        f"127.0.0.1:{port}",
        "--timeout",
        "60",
        "--log-level",
        "warning",
        "--error-logfile",
        str(OUT / "gunicorn.log"),
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=step_env(database_url, **extra_env), start_new_session=True)
    STARTED.append(process)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"gunicorn exited ({process.returncode}); see {OUT / 'gunicorn.log'}")
        try:
            status, _body = fetch(f"http://127.0.0.1:{port}/bench/baseline/")
            if status == 200:
                return process
        except OSError:
            time.sleep(0.3)
    raise BenchError("gunicorn did not answer within a minute")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url, cookie=None):
    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, ""


LUA = """-- written by bench/run.py: cycles through the page's paths, prints a JSON summary
local paths = {%(paths)s}
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('BENCH_JSON {"requests": %%d, "duration_us": %%d, "bytes": %%d, "connect": %%d, ' ..
    '"read": %%d, "write": %%d, "timeout": %%d, "non2xx": %%d, "p50_us": %%d, "p90_us": %%d, "p99_us": %%d, ' ..
    '"max_us": %%d, "mean_us": %%.1f}\\n', summary.requests, summary.duration, summary.bytes, e.connect, e.read,
    e.write, e.timeout, e.status, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean))
end
"""


def wrk(wrk_bin, page, port, cookie, duration, connections):
    for path in page["paths"]:
        if not re.fullmatch(r"[A-Za-z0-9/_\-.?=&%+]+", path):
            raise BenchError(f"unexpected characters in {path!r}")
    script = OUT / "wrk" / f"{page['key']}.lua"
    script.parent.mkdir(parents=True, exist_ok=True)
    script.write_text(LUA % {"paths": ", ".join(f'"{p}"' for p in page["paths"])})
    command = [wrk_bin, "-t1", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "-s", str(script)]
    if page.get("cookie"):
        command += ["-H", f"Cookie: {cookie}"]
    command.append(f"http://127.0.0.1:{port}{page['paths'][0]}")
    completed = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60)
    match = re.search(r"^BENCH_JSON (.*)$", completed.stdout, re.M)
    if completed.returncode != 0 or not match:
        raise BenchError(f"wrk failed on {page['key']}: {completed.stdout[-500:]} {completed.stderr[-500:]}")
    data = json.loads(match.group(1))
    seconds = data["duration_us"] / 1e6
    errors = data["connect"] + data["read"] + data["write"] + data["timeout"]
    return {
        "rps": round(data["requests"] / seconds, 1),
        "requests": data["requests"],
        "p50_ms": round(data["p50_us"] / 1000, 2),
        "p90_ms": round(data["p90_us"] / 1000, 2),
        "p99_ms": round(data["p99_us"] / 1000, 2),
        "max_ms": round(data["max_us"] / 1000, 2),
        "non2xx": data["non2xx"],
        "socket_errors": errors,
        "kib_per_response": round(data["bytes"] / max(1, data["requests"]) / 1024, 1),
        "load": [round(x, 2) for x in os.getloadavg()],
    }


def load_test(database_url):
    prep = read_result("loadprep")
    wrk_bin = ensure_wrk()
    duration, warmup = int(os.environ["BENCH_DURATION"]), int(os.environ["BENCH_WARMUP"])
    connections = int(os.environ["BENCH_CONNECTIONS"])
    port = free_port()
    shared = shared_cache_env()
    gunicorn = start_gunicorn(database_url, port, shared)
    results = {}
    try:
        for page in prep["pages"]:
            for path in page["paths"][:3]:
                status, body = fetch(f"http://127.0.0.1:{port}{path}", prep["cookie"] if page.get("cookie") else None)
                if status != 200 or page["marker"] not in body:
                    raise BenchError(f"{page['label']}: {path} answered {status} without {page['marker']!r}")
        # The baseline is measured before every page and once more at the end; each page's ratio is to the
        # mean of the baselines just before and after it, so a change of load on the machine during the run
        # (other processes) weighs on both sides of the ratio alike.
        baseline, pages = prep["pages"][0], prep["pages"][1:]
        runs = [baseline]
        for page in pages:
            runs += [page, baseline]
        baselines = []
        for page in runs:
            say(f"load: {page['key']} ({duration} s, {connections} connections)")
            if page is not baseline or not baselines:  # warm each page once; the workers stay warm for the baseline
                wrk(wrk_bin, page, port, prep["cookie"], warmup, connections)
            measured = {**wrk(wrk_bin, page, port, prep["cookie"], duration, connections), "label": page.get("label")}
            say(f"load: {page['key']}: {measured['rps']} requests/s, p50 {measured['p50_ms']} ms")
            if page is baseline:
                baselines.append(measured)
            else:
                results[page["key"]] = measured
    finally:
        stop(gunicorn)
    for index, page in enumerate(pages):
        entry = results[page["key"]]
        entry["baseline_rps"] = round((baselines[index]["rps"] + baselines[index + 1]["rps"]) / 2, 1)
        entry["ratio"] = round(entry["rps"] / entry["baseline_rps"], 3)
        entry["target"] = page.get("target")
    write_result(
        "load",
        {
            "baselines": baselines,
            "pages": results,
            "duration": duration,
            "connections": connections,
            "workers": 2,
            "shared_cache": shared.get("DJANGO_SHARED_CACHE_URL", ""),
            "queue_rows": prep["queue_rows"],
            "page_size": prep["page_size"],
            "per_page_50_supported": prep["per_page_50_supported"],
        },
    )


def stop(process):
    """Stop a process this run started, and its children (it leads its own process group)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    if process in STARTED:
        STARTED.remove(process)


def stop_all():
    for process in list(STARTED):
        with contextlib.suppress(ProcessLookupError, subprocess.TimeoutExpired):
            stop(process)
    # A Celery worker left behind by an interrupted issuance step (it records its pid).
    pidfile = OUT / "celery-worker.pid"
    if pidfile.exists():
        pid = int(pidfile.read_text().strip() or 0)
        cmdline = Path(f"/proc/{pid}/cmdline")
        if pid and cmdline.exists() and b"celery" in cmdline.read_bytes():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
        pidfile.unlink(missing_ok=True)


# --- the summary ----------------------------------------------------------------------------------------


def verdict(ok):
    return "PASS" if ok else "FAIL"


def summary_rows():
    rows = []  # (figure, measured, target, result)
    load = read_result("load")
    if load:
        rates = sorted(b["rps"] for b in load["baselines"])
        first = load["baselines"][0]
        rows.append(
            (
                f"baseline view: requests/s over {len(rates)} runs (min / median / max)",
                f"{rates[0]:.0f} / {rates[len(rates) // 2]:.0f} / {rates[-1]:.0f}; first run p50 {first['p50_ms']} ms, "
                f"p99 {first['p99_ms']} ms",
                "reference",
                "—",
            )
        )
        for key, entry in load["pages"].items():
            bad = entry["non2xx"] or entry["socket_errors"]
            measured = (
                f"{entry['ratio']:.2f}× ({entry['rps']:.0f} vs {entry['baseline_rps']:.0f} req/s; p50 {entry['p50_ms']} ms, "
                f"p90 {entry['p90_ms']} ms, p99 {entry['p99_ms']} ms)"
            )
            if bad:
                measured += f"; {entry['non2xx']} non-2xx, {entry['socket_errors']} socket errors"
            label = entry["label"]
            if key == "staff_list":
                label += f", {load['page_size']} per page" + (
                    "" if load["per_page_50_supported"] else " (fixed; ?per_page=50 not supported)"
                )
            if entry["target"] is None:
                rows.append((f"{label}: throughput vs baseline", measured, "—", "info"))
            else:
                rows.append(
                    (
                        f"{label}: throughput vs baseline",
                        measured,
                        f"≥ {entry['target']}×",
                        verdict(entry["ratio"] >= entry["target"] and not bad),
                    )
                )
    pdf = read_result("pdf")
    if pdf:
        rows.append(
            (
                "certificate PDF warm render vs minimal WeasyPrint document",
                f"{pdf['ratio']:.1f}× ({pdf['certificate_ms']} ms vs {pdf['minimal_ms']} ms, median of {pdf['runs']}"
                + (f"; CPU time {pdf['cpu_ratio']:.1f}×" if "cpu_ratio" in pdf else "")
                + ")",
                f"≤ {PDF_TARGET:.0f}×",
                verdict(pdf["ratio"] <= PDF_TARGET),
            )
        )
    size = os.environ.get("BENCH_ISSUANCE")
    celery = read_result("issuance_celery")
    if celery:
        measured = (
            f"{celery['per_second']} certificates/s ({celery['done']} in {celery['seconds']} s, "
            f"{celery['failed']} failed; {celery['pdfs_built_meanwhile']} PDFs built meanwhile)"
        )
        if not celery["finished"]:
            measured += f"; stopped after the {celery['timeout']} s limit, not finished"
        if celery["errors"]:
            measured += f"; first error: {celery['errors'][0]}"

        rows.append(
            (
                f"bulk issuance of {size}: Celery task, worker with 2 processes (chunks of 50 decisions, one task each)",
                measured,
                "—",
                "info",
            )
        )
    split = read_result("issuance_split")
    if split:
        rows.append(
            (
                f"bulk issuance of {size}: split over 2 processes calling certificate_issue",
                f"{split['per_second']} certificates/s ({split['done']} in {split['seconds']} s, "
                f"{split['failed']} failed"
                + (f"; first error: {split['errors'][0]}" if split["errors"] else "")
                + ("; stopped at the time limit" if split.get("stopped") else "")
                + ")",
                "—",
                "info",
            )
        )
    counts = read_result("querycounts")
    if counts:
        for page in counts["pages"]:
            rows.append(
                (
                    f"SQL queries: {page['page']}",
                    f"{page['queries_small']} at {page['rows_small']:,} rows / {page['queries_large']} at "
                    f"{page['rows_large']:,} rows ({page['ms_small']} / {page['ms_large']} ms)",
                    "equal",
                    verdict(page["equal"]),
                )
            )
    return rows


def print_summary(info):
    rows = summary_rows()
    widths = [max(len(str(row[i])) for row in [("figure", "measured", "target", "result"), *rows]) for i in range(4)]
    lines = [
        f"Benchmark {info['date']} · {info['database']} · source {info['source']} · CONN_MAX_AGE "
        f"{info['conn_max_age']} · shared cache {(read_result('load') or {}).get('shared_cache') or 'none'}",
        f"Machine: {info['machine']['cores']} cores ({info['machine']['cpu']}), {info['machine']['memory_gib']} GiB, "
        f"{info['machine']['os']}, Python {info['machine']['python']}; load average before "
        f"{info['machine']['load_before']}, after {info.get('load_after')}",
        "",
    ]
    header = ("figure", "measured", "target", "result")
    lines.append("  ".join(str(h).ljust(w) for h, w in zip(header, widths, strict=True)))
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
    print("\n" + "\n".join(lines) + "\n", flush=True)
    markdown = [lines[0], "", lines[1], "", "| figure | measured | target | result |", "|---|---|---|---|"]
    markdown += [f"| {' | '.join(str(c) for c in row)} |" for row in rows]
    (OUT / "summary.md").write_text("\n".join(markdown) + "\n")
    failed = [row for row in rows if row[3] == "FAIL"]
    return failed


# --- main -------------------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description="The portal's benchmark (see bench/README.md).")
    parser.add_argument("--quick", action="store_true", help="small sizes and short runs: a smoke test of the bench")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards (for --reuse)")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure again on the dataset an earlier --keep run left (after a change to a view): no new dataset",
    )
    options = parser.parse_args()
    configure(options.quick)

    def interrupted(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, interrupted)
    OUT.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(RESULTS, ignore_errors=True)
    shutil.rmtree(OUT / "private", ignore_errors=True)  # PDFs and photos of the previous run
    for log in ("gunicorn.log", "celery-worker.log"):
        (OUT / log).unlink(missing_ok=True)
    started = time.perf_counter()
    main_url, qc_url = database_urls()
    info = {
        "date": datetime.datetime.now(datetime.UTC).astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "machine": machine(),
        "source": source_version(),
        "quick": options.quick,
        "conn_max_age": os.environ.get("BENCH_CONN_MAX_AGE", "60 (as production)"),
    }
    try:
        ensure_wrk()
        prepare_database(qc_url, "query-count database")
        if options.reuse:
            if not database_exists(main_url):
                raise BenchError("--reuse: no measured database left by an earlier run with --keep")
            # The source may have new migrations since the dataset was made.
            run_step("measured database: migrate", ["manage.py", "migrate", "--noinput", "-v0"], main_url, timeout=600)
        else:
            prepare_database(main_url, "measured database")
        info["database"] = database_label(main_url)
        run_step("query counts (10 and 10,000 rows)", ["-m", "bench.querycounts"], qc_url, timeout=900)
        if not options.reuse:
            run_step("dataset", ["-m", "bench.generate"], main_url, timeout=1200)
        run_step("load-test preparation", ["-m", "bench.loadprep"], main_url, timeout=300)
        say("load test: gunicorn, 2 sync workers, wrk")
        load_test(main_url)
        run_step("certificate PDF", ["-m", "bench.pdf"], main_url, timeout=300)
        run_step("issuance: two SKs of granted decisions", ["-m", "bench.issuance", "prepare"], main_url, timeout=300)
        # SQLite serialises the writers: bounded tighter, the rate so far is reported if it does not finish.
        if main_url.startswith("sqlite"):
            os.environ.setdefault("BENCH_ISSUANCE_TIMEOUT", "120")
        broker = os.environ["BENCH_REDIS_URL"]
        if redis_reachable(broker):
            run_step(
                "issuance: Celery worker, 2 processes",
                ["-m", "bench.issuance", "celery"],
                main_url,
                timeout=900,
                BENCH_CELERY_BROKER_URL=broker,
            )
        else:
            say(f"issuance: Redis not reachable at {broker}: the Celery measurement is left out")
        run_step("issuance: split over 2 processes", ["-m", "bench.issuance", "split"], main_url, timeout=900)
    except (BenchError, subprocess.TimeoutExpired, KeyboardInterrupt) as error:
        say(f"stopped: {error}")
        info.setdefault("database", main_url)
        info["error"] = str(error)
    finally:
        stop_all()
        if not (options.keep or options.reuse):
            for url in (main_url, qc_url):
                try:
                    drop_database(url)
                except Exception as error:  # cleanup must not hide the result
                    say(f"could not drop {url}: {error}")
    info["minutes"] = round((time.perf_counter() - started) / 60, 1)
    info["load_after"] = [round(x, 2) for x in os.getloadavg()]
    write_result("run", info)
    failed = print_summary(info)
    say(f"finished in {info['minutes']} min; results in {RESULTS}, table in {OUT / 'summary.md'}")
    if "error" in info:
        return 2
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
