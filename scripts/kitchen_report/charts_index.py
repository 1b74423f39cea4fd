"""The charts plot.py writes, grouped by the question each answers (REPORT.md's order)."""

GROUPS = (
    ("Is async better for waiting (I/O-bound) work?", (
        ("throughput", "Throughput against chefs"),
        ("net", "Throughput with timers and with real I/O (loopback sockets)"),
        ("latency", "Makespan against customers"),
        ("efficiency_io", "Efficiency, chefs x customers: io profile"),
        ("efficiency_mixed", "Efficiency, chefs x customers: mixed profile"))),
    ("How much load does each take before latency explodes (open loop)?", (
        ("latency_vs_load", "Latency against offered load"),)),
    ("Does adding chefs add cores (CPU-bound work)?", (
        ("cpu_speedup", "CPU-bound speedup against chefs, with and without the GIL"),
        ("processes_crossover", "Where processes start to pay: CPU work per ingredient"),
        ("efficiency_cpu", "Efficiency, chefs x customers: cpu profile"))),
    ("What does each executor cost?", (
        ("overhead", "Cost per dish with nothing to wait for or compute"),
        ("spawn_switch", "Spawn and switch cost"))),
    ("Memory per idle task", (("memory", "Memory per idle task, resident and kernel"),)),
    ("How precise are waits?", (("timer", "Timer overshoot of requested waits"),)),
)
