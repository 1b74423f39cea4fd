"""The seven rows of the article's table, each judged from measured rows (standard library only).

Each evaluator returns the claim, the figures for each side (naming the rows they come from)
and a verdict computed from the thresholds pros_cons.py passes in. "C++" and "CPython" rows
are judged apart and the verdicts combined, so a claim that holds for CPython but not for C++
reads "depends (on the language)".
"""

import os
import re
from typing import List, Optional, Tuple

from kitchen_figures import (LANGUAGES, chefs, customers, executor_key, executors, fmt,
                             fmt_bytes, fmt_ns, is_sweep_row, kitchen, largest_param_rows,
                             mechanism_side, speedups, times)
from kitchen_results import Results, executor_side
from verdicts import (DEPENDS, FAILS, HOLDS, UNMEASURABLE, UNMEASURED, TableRow, Thresholds,
                      Verdict, combine, compare, outcome)


def _languages(results: Results) -> List[str]:
    return [lang for lang in LANGUAGES if kitchen(results, language=lang)]


def _threads_key(r):
    return (r.counters["os_threads"], is_sweep_row(r), chefs(r), customers(r))


def concurrency_model(results: Results, t: Thresholds) -> TableRow:
    row = TableRow("Concurrency model", "single-threaded, event loop driven", "multi-threaded",
                   Verdict(UNMEASURED))
    parts = []
    for lang in _languages(results):
        most = {}  # executor -> its row with the most OS threads
        for r in kitchen(results, language=lang):
            if "os_threads" in r.counters and executor_side(r.kind):
                # The most threads; among equals, cite a row of the plain sweep.
                if r.kind not in most or _threads_key(r) > _threads_key(most[r.kind]):
                    most[r.kind] = r
        for e in executors(most.values()):
            r = most[e]
            figures = row.async_figures if executor_side(e) == "async" else row.threads_figures
            n = r.counters["os_threads"]
            many = "up to " if n > 1 else ""
            figures.append(f"{e}: {many}{fmt(n)} OS thread{'s' if n != 1 else ''} (`{r.name}`)")
        sides = {s: [e for e in most if executor_side(e) == s] for s in ("async", "threads")}
        if not sides["async"] or not sides["threads"]:
            parts.append((lang, Verdict(UNMEASURED, f"{lang}: one side not in this run")))
            continue
        single = [e for e in sides["async"]
                  if most[e].counters["os_threads"] <= t.single_threaded_max]
        multi = [e for e in sides["async"] if e not in single]
        flat = [e for e in sides["threads"]
                if most[e].counters["os_threads"] <= t.single_threaded_max and chefs(most[e]) > 1]
        if flat:
            v = Verdict(FAILS, f"{', '.join(flat)} served several chefs on one OS thread")
        elif not multi:
            most_threads = max(most[e].counters["os_threads"] for e in sides["threads"])
            v = Verdict(HOLDS, "every event loop ran on one OS thread, thread executors on up "
                        f"to {fmt(most_threads)}")
        elif single:
            v = Verdict(DEPENDS, f"{', '.join(single)} ran on one OS thread, "
                        f"{', '.join(multi)} on several", "the executor")
        else:
            v = Verdict(FAILS, "every async executor ran several OS threads")
        parts.append((lang, v))
    row.verdict = combine(parts, "the language")
    return row


def _switch_figures(results: Results, side: str) -> List[str]:
    return [f"`{r.name}`: {fmt_ns(r.counters['ns_per_switch'])} per round trip"
            for r in sorted(results.family("switch"), key=lambda r: r.name)
            if mechanism_side(r.kind) == side]


def cpu_bound(results: Results, t: Thresholds, cpus: Optional[int]) -> TableRow:
    row = TableRow("CPU-bound tasks", "not ideal (context-switch overhead)",
                   "limited benefit due to the GIL", Verdict(UNMEASURED))
    found = speedups(kitchen(results, profile="cpu", sweep_only=True))
    for s in found:
        side = executor_side(s.executor)
        figures = row.async_figures if side == "async" else row.threads_figures
        label = s.executor + (" with GIL emulation" if s.gil else "")
        figures.append(f"{label}: {times(s.value)} with {s.chefs} chefs vs 1 "
                       f"(`{s.best.name}` over `{s.base.name}`)")
    row.async_figures += _switch_figures(results, "async")
    row.threads_figures += _switch_figures(results, "threads")
    if cpus is not None and cpus < 2:
        row.verdict = Verdict(UNMEASURED, "this machine has one core: no speedup is possible")
        return row
    p = t.cpu_speedup_parallel

    def listed(items):
        return ", ".join(f"{s.executor} {times(s.value)}" for s in items)

    halves = []
    loops = [s for s in found if executor_side(s.executor) == "async" and not s.gil]
    if loops:
        gaining = [s for s in loops if s.value >= p]
        flat = [s for s in loops if s.value < p]
        if not gaining:
            half = Verdict(HOLDS, f"no event loop gains from more chefs ({listed(flat)})")
        elif not flat:
            half = Verdict(FAILS, f"every async executor gains ({listed(gaining)})")
        else:
            half = Verdict(DEPENDS, f"{listed(flat)} below {times(p)}; {listed(gaining)} "
                           "at or above", "where the CPU steps run")
        halves.append(("async half", half))
    def cpython(s):
        return s.executor.startswith("py_")

    modes = []
    for label, keep in (("C++ without GIL", lambda s: not s.gil and not cpython(s)),
                        ("C++ with GIL emulation", lambda s: s.gil and not cpython(s)),
                        ("CPython", cpython)):
        mine = [s for s in found if executor_side(s.executor) == "threads" and keep(s)]
        if mine:
            best = max(mine, key=lambda s: s.value)
            if best.value < p:
                modes.append((label, Verdict(HOLDS, f"at best {listed([best])}")))
            else:
                modes.append((label, Verdict(FAILS, f"{listed([best])}, a real parallel gain")))
    if modes:
        halves.append(("threads half", combine(modes, "the GIL")))
    row.verdict = combine(halves, "")
    return row


def _io_runs(levels: List[Tuple[int, float]], threshold: float) -> List[Tuple[str, str]]:
    """Consecutive chefs levels with the same outcome, as (outcome, text): 'a tie (0.99x to
    1.01x) at chefs:1, 10, 100', 'async 4.64x the dishes/s at chefs:1000'."""
    runs: List[Tuple[str, List[Tuple[int, float]]]] = []
    for c, ratio in levels:
        o = outcome(ratio, threshold)
        if runs and runs[-1][0] == o:
            runs[-1][1].append((c, ratio))
        else:
            runs.append((o, [(c, ratio)]))
    texts = []
    for o, members in runs:
        shown = [r if o != "lose" else 1 / r for _, r in members]
        span = times(shown[0]) if len(shown) == 1 else f"{times(min(shown))} to {times(max(shown))}"
        where = "chefs:" + ", ".join(str(c) for c, _ in members)
        lead = {"win": f"async {span} the dishes/s", "lose": f"threads {span} the dishes/s",
                "tie": f"a tie ({span})"}[o]
        texts.append((o, f"{lead} at {where}"))
    return texts


def io_bound(results: Results, t: Thresholds) -> TableRow:
    row = TableRow("I/O-bound tasks", "well suited", "less efficient (thread management overhead)",
                   Verdict(UNMEASURED))
    parts = []
    for lang in _languages(results):
        rows = kitchen(results, profile="io", gil=False, language=lang, sweep_only=True)
        cells = {}
        for r in rows:
            if executor_side(r.kind):
                cells.setdefault((chefs(r), customers(r)), []).append(r)
        # Per chefs level, the most customers at which both sides were measured.
        levels = {}
        for (c, n), here in sorted(cells.items()):
            if {executor_side(r.kind) for r in here} == {"async", "threads"}:
                levels[c] = (n, here)
        if not levels:
            parts.append((lang, Verdict(UNMEASURED, f"{lang}: no io point with both sides")))
            continue
        judged = []  # (chefs, customers, rows, ratio of best async over best threads dishes/s)
        for c, (n, here) in sorted(levels.items()):
            best = {s: max((r for r in here if executor_side(r.kind) == s),
                           key=lambda r: r.counters["dishes_per_s"]) for s in ("async", "threads")}
            ratio = (best["async"].counters["dishes_per_s"]
                     / best["threads"].counters["dishes_per_s"])
            judged.append((c, n, here, ratio))
        top_c, top_n, top_rows, _ = judged[-1]
        for r in sorted(top_rows, key=lambda r: executor_key(r.kind)):
            figures = row.async_figures if executor_side(r.kind) == "async" else row.threads_figures
            util = f", {fmt(r.counters['cpu_util'])} CPU" if "cpu_util" in r.counters else ""
            figures.append(f"{r.kind}: {fmt(r.counters['dishes_per_s'])} dishes/s, efficiency "
                           f"{fmt(r.counters['efficiency'])}{util}")
        for figures in (row.async_figures, row.threads_figures):
            figures.append(f"(at `kitchen/*/io/chefs:{top_c}/customers:{top_n}`)")
        runs = _io_runs([(c, ratio) for c, _, _, ratio in judged], t.io_throughput_ratio)
        why = "; ".join(text for _, text in runs)
        if len(runs) == 1:
            parts.append((lang, Verdict(HOLDS if runs[0][0] == "win" else FAILS, why)))
        else:
            parts.append((lang, Verdict(DEPENDS, why, "concurrency")))
    for side, figures in (("threads", row.threads_figures), ("async", row.async_figures)):
        figures += [f"`{r.name}`: {fmt_ns(r.counters['ns_per_spawn'])} to spawn a task"
                    for r in sorted(results.family("spawn"), key=lambda r: r.name)
                    if mechanism_side(r.kind) == side]
    row.verdict = combine(parts, "the language")
    return row


def memory(results: Results, t: Thresholds) -> TableRow:
    row = TableRow("Memory usage", "lower (fewer threads)", "higher (more threads)",
                   Verdict(UNMEASURED))
    totals = {"async": [], "threads": []}
    for kind, r in sorted(largest_param_rows(results.family("memory"), "tasks").items()):
        side = mechanism_side(kind)
        if side is None:
            continue
        resident = r.counters["bytes_per_task"]
        kernel = r.counters.get("kernel_bytes_per_task")
        part = (f" + {fmt_bytes(kernel)} kernel" if kernel is not None
                else " (kernel part not measured)")
        figures = row.async_figures if side == "async" else row.threads_figures
        figures.append(f"`{r.name}`: {fmt_bytes(resident)} resident{part} per task")
        totals[side].append((resident + (kernel or 0.0), kind))
    if totals["async"] and totals["threads"]:
        a, a_kind = min(totals["async"])
        th, t_kind = min(totals["threads"])
        ratio = th / a if a > 0 else float("inf")
        row.verdict = compare(ratio, t.memory_ratio,
                              f"{t_kind} needs {times(ratio)} the bytes per task of {a_kind}",
                              f"{a_kind} needs {times(1 / ratio)} the bytes per task of {t_kind}",
                              f"{t_kind} and {a_kind} are within {times(t.memory_ratio)} "
                              f"({times(ratio)})")
    else:
        row.verdict = Verdict(UNMEASURED, "no memory/<kind> rows for both sides in this run")
    return row


def _unlocked(r) -> bool:
    pantry = str(r.params.get("pantry", r.context.get("kitchen_pantry", "")))
    return ("unlocked" in r.flags or pantry == "unlocked"
            or r.counters.get("unlocked", 0) >= 0.5 or r.counters.get("pantry_unlocked", 0) >= 0.5)


def _sync_key(r):
    # Cite the plain sweep's largest service: variants (unlocked, failures) count differently.
    return (is_sweep_row(r), chefs(r), customers(r))


def complexity(results: Results, t: Thresholds) -> TableRow:
    row = TableRow("Complexity", "simpler (fewer race conditions)",
                   "more complex (needs synchronization)", Verdict(UNMEASURED))
    parts = []
    for lang in _languages(results):
        rows = [r for r in kitchen(results, language=lang) if executor_side(r.kind)]
        lost = {}
        for r in rows:
            if "lost_updates" in r.counters and _unlocked(r):
                most = lost.get(r.kind)
                if most is None or r.counters["lost_updates"] > most.counters["lost_updates"]:
                    lost[r.kind] = r
        sync = {}
        for r in rows:
            if "sync_ops_per_dish" in r.counters:
                if r.kind not in sync or _sync_key(r) > _sync_key(sync[r.kind]):
                    sync[r.kind] = r
        for e in executors(rows):
            figures = row.async_figures if executor_side(e) == "async" else row.threads_figures
            if e in lost:
                figures.append(f"{e}: {fmt(lost[e].counters['lost_updates'])} lost updates "
                               f"unlocked (`{lost[e].name}`)")
            if e in sync:
                figures.append(f"{e}: {fmt(sync[e].counters['sync_ops_per_dish'])} sync ops per "
                               f"dish (`{sync[e].name}`)")
        side_of = {s: [e for e in lost if executor_side(e) == s] for s in ("async", "threads")}
        if side_of["async"] and side_of["threads"]:
            racy = [e for e in lost if lost[e].counters["lost_updates"] >= t.race_lost_updates]
            safe = [e for e in side_of["async"] if e not in racy]
            racy_async = [e for e in side_of["async"] if e in racy]
            racy_threads = [e for e in side_of["threads"] if e in racy]
            if not racy_threads:
                v = Verdict(FAILS, "no thread executor lost an update, even unlocked")
            elif not safe:
                v = Verdict(FAILS, "every async executor lost updates too")
            elif racy_async:
                v = Verdict(DEPENDS, f"{', '.join(safe)} lost none unlocked; "
                            f"{', '.join(racy_async + racy_threads)} lost some",
                            "how many threads run the loop")
            else:
                v = Verdict(HOLDS, f"no async executor lost an update unlocked; "
                            f"{', '.join(racy_threads)} did")
            parts.append((lang, v))
            continue
        by_side = {s: [sync[e].counters["sync_ops_per_dish"] for e in sync if executor_side(e) == s]
                   for s in ("async", "threads")}
        if by_side["async"] and by_side["threads"]:
            a, th = min(by_side["async"]), min(by_side["threads"])
            ratio = th / a if a > 0 else (float("inf") if th > 0 else 1.0)
            parts.append((lang, compare(ratio, t.sync_ops_ratio,
                                        f"threads need {times(ratio)} the sync ops per dish",
                                        f"async needs {times(1 / ratio)} the sync ops per dish",
                                        f"sync ops per dish within {times(t.sync_ops_ratio)}")))
        else:
            parts.append((lang, Verdict(UNMEASURED, "no pantry counters in this run")))
    row.verdict = combine(parts, "the language")
    return row


def _injected(r) -> bool:
    """A row run with failures injected (--fail-rate): its served + failed must be customers."""
    return (((r.param("fail_rate") or 0) > 0 or r.counters.get("failed", 0) > 0)
            and "served" in r.counters and "failed" in r.counters)


def _fail_fast(r) -> bool:
    return (("fail_fast" in r.flags or r.counters.get("cancelled", 0) > 0)
            and "cancel_ms" in r.counters)


def error_handling(results: Results, t: Thresholds) -> TableRow:
    row = TableRow("Error handling", "easier to reason about", "trickier (race conditions)",
                   Verdict(UNMEASURED))
    parts = []
    for lang in _languages(results):
        rows = [r for r in kitchen(results, language=lang) if executor_side(r.kind)]
        lost, checked, cancel = {}, {}, {}
        for r in rows:
            c = r.counters
            if _injected(r):
                # Cancelled orders (--fail-fast) are accounted for too; counters are per-iteration
                # means, hence the tolerance below.
                missing = c["customers"] - c["served"] - c["failed"] - c.get("cancelled", 0.0)
                checked[r.kind] = checked.get(r.kind, 0) + 1
                if r.kind not in lost or abs(missing) > abs(lost[r.kind][0]):
                    lost[r.kind] = (missing, r)
            # Per executor its slowest stop: what a caller of that executor may have to wait.
            slowest = cancel.get(r.kind)
            if _fail_fast(r) and (slowest is None
                                  or c["cancel_ms"] > slowest.counters["cancel_ms"]):
                cancel[r.kind] = r
        for e in executors(rows):
            figures = row.async_figures if executor_side(e) == "async" else row.threads_figures
            if e in lost:
                missing, r = lost[e]
                if abs(missing) < 0.5:
                    figures.append(f"{e}: served + failed + cancelled = customers in all "
                                   f"{checked[e]} rows with failures (`{r.name}`)")
                else:
                    figures.append(f"{e}: {fmt(abs(missing))} orders lost or counted twice "
                                   f"(`{r.name}`)")
            if e in cancel:
                figures.append(f"{e}: every chef stopped {fmt(cancel[e].counters['cancel_ms'])} ms "
                               f"after the first failure (`{cancel[e].name}`)")
        bad = {s: [e for e in lost if executor_side(e) == s and abs(lost[e][0]) >= 0.5]
               for s in ("async", "threads")}
        # Each side at its best: its executor that stopped soonest.
        best = {s: min(((cancel[e].counters["cancel_ms"], e) for e in cancel
                        if executor_side(e) == s), default=None) for s in ("async", "threads")}
        if not lost and not cancel:
            parts.append((lang, Verdict(UNMEASURED, "no failure injection in this run")))
        elif bad["async"] and not bad["threads"]:
            parts.append((lang, Verdict(FAILS, f"{', '.join(bad['async'])} lost orders")))
        elif bad["threads"] and not bad["async"]:
            parts.append((lang, Verdict(HOLDS, f"{', '.join(bad['threads'])} lost orders")))
        elif best["async"] is not None and best["threads"] is not None:
            (a, a_name), (th, t_name) = best["async"], best["threads"]
            ratio = th / a if a > 0 else (float("inf") if th > 0 else 1.0)
            pair = f"({a_name} {fmt(a)} ms, {t_name} {fmt(th)} ms)"
            parts.append((lang, compare(ratio, t.cancel_ratio,
                                        f"async stops {times(ratio)} sooner after a failure {pair}",
                                        f"threads stop {times(1 / ratio)} sooner after a failure "
                                        f"{pair}",
                                        f"both account for every order and stop within "
                                        f"{times(t.cancel_ratio)} of each other {pair}")))
        else:
            parts.append((lang, Verdict(FAILS, "both sides lost orders" if bad["async"] else
                                        "both sides account for every order")))
    row.verdict = combine(parts, "the language")
    return row


def _code_lines(path: str) -> int:
    count = 0
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            s = line.strip()
            if s and not s.startswith(("//", "/*", "*", "#")):
                count += 1
    return count


# Shared by every executor, so counted for none: the concept and the registry of names.
_COMMON_EXECUTOR_FILES = {"executor.hpp", "registry.hpp"}


def _executor_files(src: str, executor: str) -> List[str]:
    """The executor's own .hpp/.cpp and every src/executors/ header they include, transitively:
    asio_coro's few lines stand on coro_cooking.hpp and one_loop.hpp, and those count too."""
    todo = [executor + ext for ext in (".hpp", ".cpp")]
    seen: List[str] = []
    while todo:
        name = todo.pop()
        path = os.path.join(src, name)
        if name in seen or name in _COMMON_EXECUTOR_FILES or not os.path.isfile(path):
            continue
        seen.append(name)
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                m = re.match(r'\s*#\s*include\s+"executors/([^"]+)"', line)
                if m:
                    todo.append(m.group(1))
    return sorted(os.path.join(src, name) for name in seen)


def learning_curve(results: Results, source_root: Optional[str]) -> TableRow:
    row = TableRow("Learning curve", "steeper", "easier",
                   Verdict(UNMEASURABLE, "no benchmark measures learning"))
    src = os.path.join(source_root, "src", "executors") if source_root else None
    for e in executors(kitchen(results)):
        if not src or executor_side(e) is None:
            continue
        files = _executor_files(src, e)
        if files:
            figures = row.async_figures if executor_side(e) == "async" else row.threads_figures
            figures.append(f"proxy only: {e} is {sum(map(_code_lines, files))} lines of code "
                           f"in {len(files)} files (its own and the executor helpers it "
                           f"includes; the shared model not counted)")
    return row


def evaluate(results: Results, t: Thresholds, cpus: Optional[int],
             source_root: Optional[str] = None) -> List[TableRow]:
    return [concurrency_model(results, t), cpu_bound(results, t, cpus), io_bound(results, t),
            memory(results, t), complexity(results, t), error_handling(results, t),
            learning_curve(results, source_root)]


def not_measured(results: Results) -> List[str]:
    """What this run did not measure, so that gaps read as gaps and not as findings."""
    gaps = []
    for family, what in (("spawn", "spawn cost (spawn/<kind>)"),
                         ("switch", "switch cost (switch/<kind>)"),
                         ("memory", "memory per task (memory/<kind>/tasks:<N>)"),
                         ("timer", "timer accuracy (timer/<kind>)")):
        if not results.family(family):
            gaps.append(what)
    rows = kitchen(results)
    if not any(r.gil for r in rows):
        gaps.append("GIL emulation (rows with /gil)")
    if not any(r.kind.startswith("py_") for r in rows):
        gaps.append("CPython executors (py_kitchen.py)")
    if not any("lost_updates" in r.counters and _unlocked(r) for r in rows):
        gaps.append("pantry races (rows with /pantry:unlocked)")
    if not any(_injected(r) for r in rows):
        gaps.append("failure injection (rows with /fail_rate)")
    if not any(_fail_fast(r) for r in rows):
        gaps.append("cancellation (rows with /fail_fast)")
    return gaps
