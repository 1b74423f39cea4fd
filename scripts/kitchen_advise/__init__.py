"""kitchen advise: threads or async for one workload, predicted by a model from this machine's
mechanism rows, then measured with bench_kitchen in interleaved rounds, with the model's error.

Modules: `flags` (the command line, checked like every flag of the suite), `mechanisms` (spawn,
switch, timer and memory figures, and where they came from), `model` (the throughput bound, the
pool size, the open-loop wait, memory and threads), `plan` (the points and the bench_kitchen
commands), `measure` (the rounds, their interference), `decide` (the cells, the rows to measure again,
the recommendation), `answer` (their words), `tables` (the tables under them and the model's
errors), `accuracy` (the model and the naive model against measurements, per side and band, on
the development grid and the held-out set), `main`.
Standard library only; the cells and their outcomes are the table's (kitchen_report)."""
