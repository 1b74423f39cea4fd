"""The charts of a run, PNG and SVG (needs matplotlib). Every function takes the loaded results
and a footnote, and returns [(file stem, figure)] or raises style.NoData."""


def every_chart():
    """(name, function) of every chart, in the order the report shows them."""
    from . import cpu, crossover, efficiency, load, mechanisms, net, throughput
    return (("throughput", throughput.throughput), ("net", net.net),
            ("latency", throughput.latency),
            ("latency_vs_load", load.latency_vs_load),
            ("efficiency", efficiency.efficiency), ("cpu_speedup", cpu.cpu_speedup),
            ("processes_crossover", crossover.processes_crossover),
            ("overhead", cpu.overhead), ("memory", mechanisms.memory),
            ("spawn_switch", mechanisms.spawn_switch), ("timer", mechanisms.timer))
