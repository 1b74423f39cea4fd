"""The kitchen in CPython (py_kitchen.py's package), measured by bench_kitchen's rules.

  model      menu, seeded orders, failure plan, pantry, CPU work, one order in preparation
  ledger     one service's records and the check that makes a wrong service an error row
  executors  py_threads, py_asyncio, py_asyncio_blocking, and their catalogue
  processes  py_processes: a pool of worker processes, each cooking as py_threads does
  gevent_kitchen  py_gevent: a greenlet per order on one thread, py_threads' chef code on
             gevent's sleep, event and sockets, without monkey-patching
  interpreter  run again on an interpreter with gevent when this one lacks it
  gbench     Google Benchmark's timing rules and JSON shape
  context    the machine and interpreter, in Google Benchmark's context keys
  flags      flags checked by bench_kitchen's rules
  main       the command line

Standard library only, Python >= 3.9; py_gevent also needs gevent (python3-gevent).
"""
