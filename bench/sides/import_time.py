"""Wall time of one import statement in this fresh process: a cold start as a learner's kernel sees it.

    python bench/sides/import_time.py "import lesson_kit.all"   ->   {"value": seconds}

Interpreter start-up is excluded (it is the same on both sides); the OS file cache is warm after the harness's
warm-up pair, as it is on a learner's second kernel start.
"""
import json
import sys
import time

if __name__ == '__main__':
    stmt = sys.argv[1]
    t0 = time.perf_counter()
    exec(stmt, {'__name__': '__bench__'})
    print(json.dumps({'value': time.perf_counter() - t0, 'statement': stmt}))
