"""Scores a candidate's output for the python-rastrigin example.

Runs in its own jailed folder and never imports the candidate: it only reads output.txt, which holds the
candidate's standard output. Prints one JSON line in EvoCode's external-command result schema.
"""
import json
import math

DIMENSIONS = 5
BOUND = 5.12


def result(correct, score=None, error=None, metrics=None):
    print(json.dumps({"correct": correct, "score": score, "metrics": metrics or {}, "error": error}))


def main():
    lines = [line for line in open("output.txt").read().splitlines() if line.strip()]
    if not lines:
        return result(False, error="The program printed nothing; print a JSON list of 5 numbers.")
    try:
        x = json.loads(lines[-1])
    except ValueError as e:
        return result(False, error=f"The last line is not JSON: {e}")
    if not isinstance(x, list) or len(x) != DIMENSIONS:
        return result(False, error=f"Expected a list of {DIMENSIONS} numbers.")
    for i, v in enumerate(x):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            return result(False, error=f"Coordinate {i} is not a finite number: {v!r}")
        if abs(v) > BOUND:
            return result(False, error=f"Coordinate {i} = {v} lies outside [-{BOUND}, {BOUND}].")
    value = 10 * DIMENSIONS + sum(v * v - 10 * math.cos(2 * math.pi * v) for v in x)
    result(True, score=-value, metrics={"rastrigin": value})


main()
