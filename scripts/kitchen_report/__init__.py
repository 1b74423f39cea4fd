"""Turn bench_kitchen's (and py_kitchen.py's) Google Benchmark JSON into a report.

  load       rows, their repetitions and medians, the executors' catalogue; LoadError
  catalogue  the executors' order, side, language, pair and colours, read from the JSON
  stats      medians, spread, coefficient of variation, Mann-Whitney U
  figures    selections and formatting shared by the charts and the table
  table/     the table's seven rows, one module per verdict, and their Markdown
  charts/    the charts (needs matplotlib)
  merge      several passes into one file; report: REPORT.md; compare: two runs
  cli        the one argument parser and error handling of every entry point

Everything but charts/ uses the standard library only.
"""
