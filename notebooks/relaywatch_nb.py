"""Run relaywatch's triage queries from a notebook and get pandas DataFrames.

    from relaywatch_nb import query
    sessions = query("user_sessions", user="jmeier")

Every call runs the relaywatch CLI once (``relaywatch sql --warehouse W --query NAME --param k=v --format json``, one
JVM with embedded Spark, some seconds each) and reads its JSON lines. The queries themselves live in the jar
(``jobs/src/main/resources/triage/*.sql``); this module only runs them and types the result.

Environment:
    RELAYWATCH_CMD        command prefix that runs the CLI (split like a shell would), e.g.
                          ``java @jvm.args io.relaywatch.jobs.RelayWatch``; default: the repository's ``./relaywatch``
    RELAYWATCH_WAREHOUSE  the warehouse to query; default: ``out/warehouse`` of the repository (what
                          ``./relaywatch analyze sample-logs --out out`` writes)
"""

import json
import os
import re
import shlex
import subprocess
from pathlib import Path

import pandas as pd

NOTEBOOKS = Path(__file__).resolve().parent
REPOSITORY = NOTEBOOKS.parent
TIMEOUT_SECONDS = 900

_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$")


class RelaywatchError(RuntimeError):
    """The CLI failed; the message ends with what it wrote to stderr."""


def command():
    """The CLI as an argument list: RELAYWATCH_CMD, else the repository's launcher."""
    configured = os.environ.get("RELAYWATCH_CMD", "").strip()
    if configured:
        return shlex.split(configured)
    launcher = REPOSITORY / "relaywatch"
    if not launcher.is_file():
        raise RelaywatchError(f"no relaywatch launcher at {launcher}; set RELAYWATCH_CMD")
    return [str(launcher)]


def warehouse():
    """The warehouse the queries read: RELAYWATCH_WAREHOUSE, else out/warehouse of the repository."""
    path = Path(os.environ.get("RELAYWATCH_WAREHOUSE") or REPOSITORY / "out" / "warehouse")
    if not path.is_dir():
        raise RelaywatchError(f"no warehouse at {path}: run ./relaywatch analyze sample-logs --out out "
                              "--tz Europe/Berlin first, or set RELAYWATCH_WAREHOUSE")
    return str(path)


def query(name, **params):
    """Runs the shipped triage query NAME with its named parameters; one DataFrame row per result row."""
    args = ["--query", name]
    for key, value in params.items():
        args += ["--param", f"{key}={value}"]
    return _run(args)


def sql(text, **params):
    """Runs ad-hoc Spark SQL over the warehouse (for exploring; notebooks name triage queries instead)."""
    args = [text]
    for key, value in params.items():
        args += ["--param", f"{key}={value}"]
    return _run(args)


def _run(args):
    argv = command() + ["sql", "--warehouse", warehouse(), "--format", "json"] + args
    env = dict(os.environ)
    env.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    try:
        done = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True, encoding="utf-8",
                              env=env, timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired as e:
        raise RelaywatchError(f"relaywatch sql {' '.join(args)} took longer than {TIMEOUT_SECONDS} s") from e
    if done.returncode != 0:
        raise RelaywatchError(f"relaywatch sql {' '.join(args)} failed (exit {done.returncode}):\n"
                              + done.stderr.strip())
    # one JSON object per row; anything else on stdout (a stray log line) is not a row
    rows = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    return _frame(rows)


def _frame(rows):
    # Spark leaves null fields out of its JSON: keep the columns in the order the rows name them
    columns = []
    for row in rows:
        previous = -1
        for key in row:
            if key in columns:
                previous = columns.index(key)
            else:
                previous += 1
                columns.insert(previous, key)
    frame = pd.DataFrame(rows, columns=columns)
    for column in frame.columns:
        values = frame[column].dropna()
        if len(values) and values.map(lambda v: isinstance(v, str) and bool(_TIMESTAMP.match(v))).all():
            frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame
