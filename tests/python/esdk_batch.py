#!/usr/bin/env python3
"""Runs many esdk_check.py commands in one Python process (each as its own `esdk_check.main(argv)`).

The same checks as calling esdk_check.py once per message, without paying the interpreter's start and the ESDK's
imports (~1 s) each time: the runtime reach tests (tests/deno/esdk.test.ts, tests/browser/esdk.test.mjs,
tests/workers/esdk.test.mjs) hand it ~50 messages at once. Every command gets a fresh KMS stand-in, keyring and
ESDK client, exactly as a separate run would.

Input (stdin): a JSON array of argument lists, e.g. [["decrypt", "--key", "K.json", "--in", "m.bin"], ...].
Output (stdout): a JSON array, one {"code": EXIT_CODE, "result": THE_JSON_LINE} per command, in order.
Exit code: 0 when every command ran (whatever its verdict), 2 for input that is not such an array.
"""

import contextlib
import io
import json
import sys

import esdk_check


def run_one(argv):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = esdk_check.main(argv)
    lines = out.getvalue().strip().splitlines()
    return {"code": code, "result": json.loads(lines[-1]) if lines else None}


def main():
    try:
        jobs = json.load(sys.stdin)
    except ValueError as e:
        print(f"esdk_batch.py: stdin is not JSON ({e})", file=sys.stderr)
        return 2
    if not isinstance(jobs, list) or not all(isinstance(a, list) and all(isinstance(s, str) for s in a) for a in jobs):
        print("esdk_batch.py: expected a JSON array of argument lists (arrays of strings)", file=sys.stderr)
        return 2
    json.dump([run_one(argv) for argv in jobs], sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
