#!/usr/bin/env python3
"""Sums the results of every test suite into the one closing line CI reads.

Reads each JUnit XML file (ctest, pytest) and TRX file (dotnet test) in a results folder, prints
one line per suite, then `N passed, N failed, N skipped`. Exits 1 if any test failed, or if no
result file was found (a suite that produced nothing did not run).
"""
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

TRX_NS = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"


def count_junit(root):
    passed = failed = skipped = 0
    for case in root.iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            failed += 1
        elif case.find("skipped") is not None or case.get("status") in ("notrun", "disabled"):
            skipped += 1
        else:
            passed += 1
    return passed, failed, skipped


def count_trx(root):
    passed = failed = skipped = 0
    for result in root.iter(TRX_NS + "UnitTestResult"):
        outcome = result.get("outcome")
        if outcome == "Passed":
            passed += 1
        elif outcome in ("NotExecuted", "Inconclusive"):
            skipped += 1
        else:
            failed += 1
    return passed, failed, skipped


def main():
    folder = Path(sys.argv[1])
    files = sorted(list(folder.glob("*.xml")) + list(folder.glob("*.trx")))
    totals = [0, 0, 0]
    for path in files:
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError as error:
            print(f"  {path.stem}: unreadable result file ({error})")
            totals[1] += 1
            continue
        counts = count_trx(root) if path.suffix == ".trx" else count_junit(root)
        print(f"  {path.stem}: {counts[0]} passed, {counts[1]} failed, {counts[2]} skipped")
        totals = [t + c for t, c in zip(totals, counts)]
    if not files:
        print("  no test results were written")
        totals[1] += 1
    print(f"{totals[0]} passed, {totals[1]} failed, {totals[2]} skipped")
    return 1 if totals[1] else 0


if __name__ == "__main__":
    sys.exit(main())
