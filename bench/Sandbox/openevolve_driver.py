"""Times OpenEvolve's circle-packing evaluator the way OpenEvolve calls it, one evaluation per line read on stdin.

Usage: python3 openevolve_driver.py <folder holding OpenEvolve's evaluator.py and initial_program.py>

Like one of OpenEvolve's evaluation workers (openevolve/process_parallel.py: a long-lived process holding an
Evaluator), it imports evaluator.py once (openevolve/evaluator.py, _load_evaluation_function: the folder goes on
sys.path, the module is loaded under the name "evaluation_module"). Each evaluation then does what
Evaluator.evaluate_program does with cascade_evaluation off: write the program's code to a new temporary .py file,
call evaluate(path), delete the file. Their evaluate() starts a fresh python3 that imports numpy, runs the program
and pickles its result back (run_with_timeout), then validates the packing; that child process is the bulk of it.
The evaluator's own prints are kept out of stdout, which carries one JSON line per evaluation: the milliseconds
from before the temporary file is written until evaluate() returned, and the metrics.
"""
import contextlib
import importlib.util
import io
import json
import os
import sys
import tempfile
import time

folder = os.path.abspath(sys.argv[1])
sys.path.insert(0, folder)
spec = importlib.util.spec_from_file_location("evaluation_module", os.path.join(folder, "evaluator.py"))
module = importlib.util.module_from_spec(spec)
sys.modules["evaluation_module"] = module
spec.loader.exec_module(module)
with open(os.path.join(folder, "initial_program.py"), encoding="utf-8") as program:
    code = program.read()

print(json.dumps({"ready": True}), flush=True)
for _ in sys.stdin:
    start = time.perf_counter()
    with tempfile.NamedTemporaryFile(suffix=".py", delete=False) as temp_file:
        temp_file.write(code.encode("utf-8"))
        path = temp_file.name
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            metrics = module.evaluate(path)
    finally:
        os.unlink(path)
    elapsed_ms = (time.perf_counter() - start) * 1000
    print(json.dumps({"ms": elapsed_ms, "metrics": metrics}), flush=True)
