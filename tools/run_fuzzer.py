#!/usr/bin/env python3
"""Runs a libFuzzer binary for a bounded time and records the run as one JUnit test case, so
tools/test_summary.py counts it with the other suites.

    tools/run_fuzzer.py BINARY --seconds 45 --seeds DIR --work DIR --junit FILE.xml [--name NAME]

The fuzzer mutates from the seed corpus (read only) and keeps what it finds in --work; a crash,
sanitizer report, leak or timeout fails the case, with the end of the fuzzer's output and the
reproducer's path (written into --work) in the failure message.
"""
import argparse
import os
import re
import subprocess
import sys
import time
from xml.sax.saxutils import escape, quoteattr


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("binary")
    ap.add_argument("--seconds", type=int, default=45)
    ap.add_argument("--seeds", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--junit", required=True)
    ap.add_argument("--name")
    args = ap.parse_args(argv)
    name = args.name or os.path.basename(args.binary)
    os.makedirs(args.work, exist_ok=True)
    cmd = [args.binary, f"-max_total_time={args.seconds}", "-timeout=10", "-rss_limit_mb=2048", "-max_len=65536",
           "-print_final_stats=1", f"-artifact_prefix={os.path.join(args.work, '')}", args.work, args.seeds]
    start = time.monotonic()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace")
    elapsed = time.monotonic() - start
    output = proc.stdout
    runs = re.findall(r"stat::number_of_executed_units:\s*(\d+)", output)
    summary = f"{name}: {runs[-1] if runs else '?'} inputs in {elapsed:.0f} s, exit code {proc.returncode}"
    print(summary)
    case = f'<testcase classname="fuzz" name={quoteattr(name + f" ({args.seconds} s)")} time="{elapsed:.1f}">'
    if proc.returncode != 0:
        tail = "\n".join(output.splitlines()[-60:])
        print(tail, file=sys.stderr)
        case += f'<failure message={quoteattr(summary)}>{escape(tail)}</failure>'
    case += "</testcase>"
    failures = 1 if proc.returncode != 0 else 0
    with open(args.junit, "w") as f:
        f.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="fuzz-{escape(name)}" tests="1" '
                f'failures="{failures}" time="{elapsed:.1f}">{case}</testsuite>\n')
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
