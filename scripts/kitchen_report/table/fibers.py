"""Fibers: the third answer. The table's seven rows again, asking of each executor of the
catalogue's `fibers` side (stackful user-space threads: thread-style code whose waits switch
fibers) where it lands between the threads and the async side.

Each row reads the same rows, points, bands and interval rules as the table's own row (the
row's module is named in the evidence), and its cells put the fiber executor first, so that a
ratio above 1 favours the fibers. Against one executor of another side, its cells say where the
fibers are: ahead (every cell a win), behind (every cell a lose), level (every cell a tie), or
mixed. Against both sides, the word is where that puts them: like threads or like async (level
with that side), level with both, ahead of both, behind both, between (ahead of one, behind
the other), or depends (mixed). The words come from the outcomes; an undecided cell leaves
the word undecided when it could still change it. The partners are the catalogue's: each fiber
executor's `pair` and `also_pair`; the CPU row reads the baseline, the memory row the
mechanism kinds (memory/fiber...), as the table's rows do.

Concurrency and complexity are counts, as in the table (threads that cooked; services that
lost an update): a race anywhere is a race. The complexity row adds a cell of its own: what
the pantry's lock costs each fiber executor (dishes/s unlocked over locked at the pantry
passes' point), the price that a kitchen that cannot race without a wait inside the update
need not pay."""

from dataclasses import replace
from typing import Callable, List, Optional, Sequence, Tuple

from ..catalogue import Executor
from ..figures import IO_TIMER, IO_VARIANTS, chefs, customers, fmt, fmt_bytes, kitchen, num_label
from ..load import Results, Row
from ..provenance import usable_cores
from ..stats import LOSE, TIE, WIN
from . import complexity, concurrency, cpu, errors, io, io_rule, learning, memory
from .cells import OPEN, Cell, chefs_label, compare, factor
from .common import (DEPENDS, UNDECIDED, UNMEASURABLE, UNMEASURED, TableRow, Used, Verdict,
                     combine, decided)

TITLE = "Fibers: the third answer"
SIDE = "fibers"

LIKE_THREADS, LIKE_ASYNC = "like threads", "like async"
LEVEL_WITH_BOTH, AHEAD_OF_BOTH, BEHIND_BOTH, BETWEEN = (
    "level with both", "ahead of both", "behind both", "between")
LOSES_ORDERS, NO_RACE = "loses orders", "no race seen"
# Against one partner, from its cells' outcomes.
AHEAD, BEHIND, LEVEL, MIXED = "ahead of", "behind", "level with", "mixed"
WORDS = ("Against one executor, the fibers are ahead of it (every cell a win), behind it (every "
         "cell a lose), level with it (every cell a tie) or mixed; against both sides, like "
         "threads or like async (level with that side), level with both, ahead of both, behind "
         "both, between (ahead of one, behind the other) or depends (mixed anywhere). "
         "Concurrency and complexity are counts: cooking on one thread, or racing only with a "
         "wait inside the update, is like async; more threads, or racing without such a wait, "
         "like threads.")

LOCK_RATIO = 1.10
"""The tie band of the lock's cost: unlocked over locked dishes/s of a fiber executor is a
measurable cost of the lock when its 95% interval lies wholly above this."""


def executors(results: Results) -> List[Executor]:
    """The catalogue's fibers-side executors, in catalogue order."""
    return [e for e in results.catalogue if e.side == SIDE]


def partners(results: Results, e: Executor) -> List[Tuple[str, str]]:
    """(partner, its side) for the executors a fiber executor names as pair and also_pair."""
    c = results.catalogue
    return [(n, c.side(n)) for n in dict.fromkeys((e.pair, e.also_pair))
            if n and n in c and c.side(n) in ("threads", "async")]


def against(outcomes: Sequence[str]) -> str:
    """Where the fibers are against one partner over its cells' outcomes."""
    if outcomes and all(o == WIN for o in outcomes):
        return AHEAD
    if outcomes and all(o == LOSE for o in outcomes):
        return BEHIND
    if outcomes and all(o == TIE for o in outcomes):
        return LEVEL
    return MIXED


def landing(found: Sequence[Tuple[str, str]]) -> str:
    """The word from [(partner's side, against(...))]: level with one side is like it; against
    one partner alone, ahead of or behind it; against two, ahead of both, behind both or
    between; mixed anywhere depends."""
    words = [w for _, w in found]
    if not found or MIXED in words:
        return DEPENDS
    level = [side for side, w in found if w == LEVEL]
    if len(level) == len(found) > 1:
        return LEVEL_WITH_BOTH
    if len(set(level)) == 1:
        return LIKE_THREADS if level[0] == "threads" else LIKE_ASYNC
    if level:
        return DEPENDS
    if len(found) == 1:
        return f"{words[0]} {found[0][0]}"
    if set(words) == {AHEAD}:
        return AHEAD_OF_BOTH
    if set(words) == {BEHIND}:
        return BEHIND_BOTH
    return BETWEEN


def _landing_rule(groups: Sequence[Tuple[str, int]]) -> Callable[[Sequence[str]], str]:
    """A rule for decided(): the cells come in groups, (partner's side, how many cells), in
    order; each group is read by against(), the whole by landing()."""
    def rule(outcomes: Sequence[str]) -> str:
        found, at = [], 0
        for side, n in groups:
            found.append((side, against(outcomes[at:at + n])))
            at += n
        return landing(found)
    return rule


def _judged(cells_by_partner: Sequence[Tuple[str, str, List[Cell]]]) -> Verdict:
    """The landing verdict over [(partner, side, its cells)], with each cell in its detail."""
    groups = [(side, len(cells)) for _, side, cells in cells_by_partner if cells]
    found = [c for _, _, cells in cells_by_partner for c in cells]
    verdict = decided(found, _landing_rule(groups))
    detail = "; ".join(f"vs {p}, {c.level}: {c.text()}" for p, _, cells in cells_by_partner
                       for c in cells)
    return replace(verdict, detail=detail)


def _row(module, feature: str, rule: str, also: Sequence[str] = ()) -> TableRow:
    """A section row: the table's feature, its rule here, and the module whose thresholds it
    applies (the table row's)."""
    heading = f"Fibers: {feature}"
    return TableRow(heading, _slug(heading), "", "", rule, module.__name__, also=list(also))


def _slug(heading: str) -> str:
    """The anchor a Markdown renderer gives a heading: lower case, punctuation other than '-'
    dropped, spaces as '-' ('Fibers: I/O-bound tasks' -> 'fibers-io-bound-tasks')."""
    kept = "".join(ch for ch in heading.lower() if ch.isalnum() or ch in "- ")
    return kept.replace(" ", "-")


def _finish(row: TableRow, parts: List[Tuple[str, Verdict]], on: str, empty: str) -> None:
    row.verdict = combine(parts, on) if parts else Verdict(UNMEASURED, empty)
    if len(parts) > 1 and {v.word for _, v in parts} == {row.verdict.word} \
            and row.verdict.word not in (UNDECIDED, DEPENDS):
        # Parts that agree: the table's cell names them, not the first one's phrase.
        row.verdict = replace(row.verdict, short=" and ".join(label for label, _ in parts)
                              + " alike")
    if parts and row.verdict.word not in (UNMEASURED,) and not row.measured:
        row.measured = "; ".join(f"{label}: {v.short or v.word}" for label, v in parts)


# Concurrency: the threads each fiber executor cooked on.

def _concurrency(results: Results) -> TableRow:
    row = _row(concurrency, "Concurrency model",
               "per fiber executor, at more than 1 chef: the most distinct threads that ran a "
               "cooking step (cooking_threads) at any row; on at most SINGLE_THREADED_MAX "
               "it is like async, on more like threads")
    row.point = "every row of the executor with more than 1 chef (its most threads)"
    cores = usable_cores(results)
    parts = []
    for e in executors(results):
        rows = [r for r in kitchen(results) if r.kind == e.name and chefs(r) > 1
                and "cooking_threads" in r.counters]
        if not rows:
            continue
        most = max(rows, key=lambda r: (r.counters["cooking_threads"], chefs(r), r.name))
        n = most.counters["cooking_threads"]
        row.used.append(Used(most, "cooking_threads", e.name))
        word = LIKE_ASYNC if n <= concurrency.SINGLE_THREADED_MAX else LIKE_THREADS
        of = f" of {cores} usable cores" if cores else ""
        threads = f"{fmt(n)} thread" + ("" if n == 1 else "s")
        parts.append((e.name, Verdict(word, f"{threads}{of}",
                                      f"at most {threads}{of}, at {concurrency.point_label(most)}"
                                      f" (`{most.name}`)")))
        if cores and n > cores:
            row.notes.append(f"{e.name} cooked on more threads ({fmt(n)}) than the usable "
                             f"cores ({cores}).")
    _finish(row, parts, "the executor", "no fiber executor with cooking_threads at more "
                                        "than 1 chef")
    return row


# CPU-bound: a fiber executor's dishes/s over the baseline, at the CPU row's point.

def _cpu(results: Results) -> TableRow:
    row = _row(cpu, "CPU-bound tasks",
               "cpu profile, per fiber executor: dishes/s over the baseline at the CPU row's "
               "point (the most chefs no more than the usable cores); a win "
               "(CPU_SPEEDUP_PARALLEL) gains from cores like threads, else it does not, like "
               "async; one that cooked on SINGLE_THREADED_MAX thread cannot gain")
    row.point = cpu.POINT.split(";")[0]
    parts = []
    for e in executors(results):
        if e.one_at_a_time:
            continue
        found = [g for g in cpu.gains(results, e.name, gil=False) if chefs(g[0]) > 1]
        if not found:
            continue
        r, base, _ = cpu.choose(found, usable_cores(results))
        # A language without a baseline: the executor's own 1-chef row, as the CPU row reads.
        over = base.kind if results.catalogue.side(base.kind) == "baseline" else "its 1 chef"
        level = f"{chefs_label(chefs(r))}, {num_label(customers(r))} customers, over {over}"
        cell = compare(r, base, "dishes_per_s", cpu.CPU_SPEEDUP_PARALLEL,
                       pair=(base.kind, e.name), level=level)
        row.add([cell])
        row.used += [Used(r, "dishes_per_s", e.name), Used(base, "dishes_per_s", "baseline")]
        threads = max(g[0].counters.get("cooking_threads", 2) for g in found)
        said = f"{e.name} at {level}: {cell.text()}"
        if threads <= cpu.SINGLE_THREADED_MAX:
            # Like a one-thread loop, by construction: whatever its cell, it cannot gain.
            parts.append((e.name, Verdict(LIKE_ASYNC, "one thread: cannot gain (by construction)",
                                          f"cooked on one thread; {said}")))
            continue
        verdict = decided([cell], lambda o: LIKE_THREADS if o[0] == WIN else LIKE_ASYNC)
        parts.append((e.name, replace(verdict, short=f"{cell.ratio:.2f}x {over}", detail=said)))
    _finish(row, parts, "the executor", "no cpu rows of a fiber executor with a baseline")
    return row


# I/O-bound: per chefs level, timer and net, against the pair and the also_pair.

def _io_levels(results: Results, partner: str, e: str, variant: str):
    """{chefs: (partner's row, the fiber executor's row)} as the I/O row reads them: at the
    most customers both ran; timer rows at each level at the default timer slack when both
    have that row (io.at_default_slack)."""
    levels = io_rule.levels_of(results, partner, e, variant)
    if variant == IO_TIMER:
        levels, _ = io.at_default_slack(results, levels)
    return levels


def _io(results: Results) -> TableRow:
    row = _row(io_rule, "I/O-bound tasks",
               "io profile, per fiber executor and I/O variant (timer, net, net io_uring): its "
               "median dishes/s over each partner's at each chefs level (tie band "
               "IO_THROUGHPUT_RATIO), where the fibers land against both")
    row.point = ("at each chefs level, the most customers both ran; the timer rows at the "
                 "system's default timer slack where both sides have that row, as the I/O row "
                 "reads them")
    parts, said = [], []
    for e in executors(results):
        for variant in IO_VARIANTS:
            by_partner = []
            for partner, side in partners(results, e):
                levels = _io_levels(results, partner, e.name, variant)
                cells = []
                for c, (p_row, f_row) in sorted(levels.items()):
                    slack = ", default slack" if io.SLACK_DEFAULT in f_row.name else ""
                    cells.append(compare(f_row, p_row, "dishes_per_s", io_rule.IO_THROUGHPUT_RATIO,
                                         pair=(partner, e.name),
                                         level=f"{variant}, {chefs_label(c)}{slack}"))
                    row.used += [Used(f_row, "dishes_per_s", e.name),
                                 Used(p_row, "dishes_per_s", partner)]
                if cells:
                    row.add(cells)
                    by_partner.append((partner, side, cells))
            if by_partner:
                verdict = _judged(by_partner)
                short = "; ".join(_against_text(p, cells) for p, _, cells in by_partner)
                parts.append((f"{e.name}, {variant}", replace(verdict, short=short)))
                said.append(_top_level(e.name, by_partner))
    _finish(row, parts, "the executor and the I/O", "no io rows of a fiber executor beside "
                                                    "its pair")
    row.measured = "; ".join(said)
    return row


def _top_level(e: str, by_partner) -> str:
    """'fibers, timer, 1,000 chefs: 1.35x threads_per_order, 1.01x asio_coro': the ratios at
    the most chefs each partner was compared at."""
    first = by_partner[0][2][-1].level
    ratios = []
    for partner, _, cells in by_partner:
        top = cells[-1]
        ratios.append(f"{factor(top.ratio)} {partner}"
                      + ("" if top.level == first else f" (at {top.level})"))
    return f"{e}, {first}: " + ", ".join(ratios)


def _against_text(partner: str, cells: Sequence[Cell]) -> str:
    """'ahead of asio_coro', or 'undecided vs asio_coro' while a cell is open."""
    if any(c.outcome in OPEN for c in cells):
        return f"undecided vs {partner}"
    return f"{against([c.outcome for c in cells])} {partner}"


# Memory: bytes per idle fiber beside the cheapest thread's and coroutine's.

def _memory(results: Results) -> TableRow:
    row = _row(memory, "Memory usage",
               "bytes per idle task (resident + kernel + page tables + slab) of each fiber kind "
               "over the cheapest thread kind's and the cheapest coroutine kind's, at the most "
               "tasks all three sides ran (tie band MEMORY_RATIO)")
    row.point = ("the most tasks at which a fiber kind, a thread kind and a coroutine kind all "
                 "ran (else a fiber kind and one other side), and there the cheapest kind of "
                 "each other side")
    by_side = memory.by_side_and_tasks(results)
    fibers = set(by_side[SIDE])
    common = fibers & set(by_side["threads"]) & set(by_side["async"]) or \
        fibers & (set(by_side["threads"]) | set(by_side["async"]))
    if not common:
        row.verdict = Verdict(UNMEASURED, "no memory rows of a fiber kind beside another side's")
        return row
    tasks = max(common)
    others = [(min(by_side[side][tasks], key=lambda r: (memory.total(r), r.kind)), side)
              for side in ("threads", "async") if tasks in by_side[side]]
    parts = []
    for f in sorted(by_side[SIDE][tasks], key=lambda r: r.kind):
        by_partner = []
        for o, side in others:
            counter = (memory.TOTAL if memory.TOTAL in f.counters and memory.TOTAL in o.counters
                       else memory.COUNTER)
            cell = compare(f, o, counter, memory.MEMORY_RATIO, higher_is_better=False,
                           pair=(o.kind, f.kind), level=f"{num_label(tasks)} tasks",
                           first_values=memory.totals(f), second_values=memory.totals(o))
            row.add([cell])
            by_partner.append((o.kind, side, [cell]))
        for r in [f] + [o for o, _ in others]:
            row.used.append(Used(r, memory.TOTAL if memory.TOTAL in r.counters
                                 else "bytes_per_task", r.kind))
        verdict = _judged(by_partner)
        parts.append((f.kind, replace(verdict, short=f"{fmt_bytes(memory.total(f))}/fiber")))
    row.verdict = combine(parts, "the fiber's stack")
    row.measured = "; ".join([f"{f.kind} {fmt_bytes(memory.total(f))}"
                              for f in sorted(by_side[SIDE][tasks], key=lambda r: r.kind)]
                             + [f"{o.kind} {fmt_bytes(memory.total(o))}" for o, _ in others]) \
        + f" per task at {num_label(tasks)} tasks"
    context = next((ctx.get("fiber_stack") for _, ctx in results.contexts
                    if ctx.get("fiber_stack")), None)
    if context:
        row.notes.append(f"The fiber kitchens' stacks (context fiber_stack): {context}.")
    return row


# Complexity: races with the pantry unlocked, and what the lock costs.

def _lock_cell(results: Results, e: str) -> Optional[Tuple[Cell, Row, Row]]:
    """The fiber executor's dishes/s with the pantry unlocked over the same point locked (the
    pantry passes' point: the most customers, then the most chefs, it ran unlocked)."""
    names = {r.name: r for r in kitchen(results) if r.kind == e}
    found = [(r, names[r.name[:-len("/pantry:unlocked")]]) for r in names.values()
             if r.name.endswith("/pantry:unlocked")
             and r.name[:-len("/pantry:unlocked")] in names]
    if not found:
        return None
    unlocked, locked = max(found, key=lambda p: (customers(p[0]), chefs(p[0]), p[0].name))
    level = (f"{unlocked.profile}, {chefs_label(chefs(unlocked))}, "
             f"{num_label(customers(unlocked))} customers, unlocked over locked")
    cell = compare(unlocked, locked, "dishes_per_s", LOCK_RATIO, pair=(e, e), level=level)
    return cell, unlocked, locked


def _races_word(plain: Optional[complexity.Races], awaited: Optional[complexity.Races]) -> str:
    """Raced without a wait inside the update: like threads; only with one: like async (which
    races there and only there); neither: no race seen."""
    if plain is not None and plain.raced:
        return LIKE_THREADS
    if awaited is not None and awaited.raced:
        return LIKE_ASYNC
    return NO_RACE


def _complexity(results: Results) -> TableRow:
    row = _row(complexity, "Complexity",
               "per fiber executor, pantry unlocked: lost updates in k of n services (any k >= "
               "RACE_SERVICES is a race), without and with the wait inside the update; racing "
               "without it is like threads, only with it like async; beside it, what the lock "
               "costs (LOCK_RATIO)", also=[__name__])
    row.point = ("every unlocked row of each executor, its services counted together; the "
                 "lock's cost at the most customers it ran unlocked and locked")
    parts = []
    for e in executors(results):
        plain = complexity.races(results, e.name, complexity.PLAIN)
        awaited = complexity.races(results, e.name, complexity.AWAIT)
        if plain is None and awaited is None:
            continue
        said = []
        for which, found in ((complexity.PLAIN, plain), (complexity.AWAIT, awaited)):
            if found is None:
                continue
            said.append(f"{complexity._WORDS[which]}: {found.text()} on up to "
                        f"{fmt(found.threads)} thread" + ("" if found.threads == 1 else "s"))
            row.used += [Used(r, counter, f"{r.kind} {which}") for r in found.rows
                         for counter in ("lost_updates", "services_with_lost_updates")
                         if counter in r.counters]
        for partner, _ in partners(results, e):
            for which in (complexity.PLAIN, complexity.AWAIT):
                theirs = complexity.races(results, partner, which)
                if theirs is not None:
                    row.notes.append(f"Beside {e.name}, {partner} ({complexity._WORDS[which]}): "
                                     f"{theirs.text()}.")
        word = _races_word(plain, awaited)
        short = {LIKE_THREADS: "races without a wait in the update",
                 LIKE_ASYNC: "races only with a wait inside the update",
                 NO_RACE: "lost no update"}[word]
        parts.append((e.name, Verdict(word, short, "; ".join(said))))
        lock = _lock_cell(results, e.name)
        if lock is not None:
            cell, unlocked, locked = lock
            row.add([cell])
            row.used += [Used(unlocked, "dishes_per_s", f"{e.name} unlocked"),
                         Used(locked, "dishes_per_s", f"{e.name} locked")]
            row.notes.append(f"What the lock costs {e.name} ({cell.level}): {cell.text()}.")
    _finish(row, parts, "the executor", "no /pantry:unlocked rows of a fiber executor")
    return row


# Error handling: every order accounted for, then the fail-fast cancel time against each partner.

CANCELS = ("How a C++ fiber kitchen stops (src/executors/fiber_kitchen.hpp): Boost.Fiber has no "
           "interruption, so a fail-fast failure sets the kitchen's stop flag, which every fiber "
           "reads after each wait, and dismisses the fibers still waiting for a chef; cancel_ms "
           "ends when the last cooking fiber has noticed.")


def _errors(results: Results) -> TableRow:
    row = _row(errors, "Error handling",
               "per fiber executor: losing orders (LOST_ORDERS) decides; else its fail-fast "
               "cancel time against each partner's at one point (tie band CANCEL_RATIO), where "
               "the fibers land against both")
    row.point = errors.POINT
    parts, said = [], []
    for e in executors(results):
        worst = errors.worst_account(results, e.name)
        if worst is None:
            continue
        missing, r = worst
        row.used.append(Used(r, "served", e.name))
        if abs(missing) >= errors.LOST_ORDERS:
            account = errors._account(e.name, missing, r)
            parts.append((e.name, Verdict(LOSES_ORDERS, account, account)))
            continue
        by_partner = []
        for partner, side in partners(results, e):
            point = errors.cancel_point(results, partner, e.name)
            if point is None:
                continue
            p_row, f_row = point
            cell = compare(f_row, p_row, "cancel_ms", errors.CANCEL_RATIO, higher_is_better=False,
                           pair=(partner, e.name), level="fail-fast")
            row.add([cell])
            row.used += [Used(f_row, "cancel_ms", e.name), Used(p_row, "cancel_ms", partner)]
            row.notes.append(f"{e.name} {errors.stop_text(f_row)}; {partner} "
                             f"{errors.stop_text(p_row)} (`{f_row.name}`).")
            by_partner.append((partner, side, [cell]))
        fast = [r for r in kitchen(results) if r.kind == e.name and errors.fail_fast(r)]
        if not by_partner:
            if fast:
                top = max(fast, key=lambda r: (customers(r), chefs(r), r.name))
                row.used.append(Used(top, "cancel_ms", e.name))
                row.notes.append(f"{e.name} {errors.stop_text(top)} (`{top.name}`), no partner "
                                 "at that point.")
            continue
        verdict = _judged(by_partner)
        short = "stops " + "; ".join(_against_text(p, cells) for p, _, cells in by_partner)
        parts.append((e.name, replace(verdict, short=short)))
        said.append(f"{e.name} {fmt(by_partner[0][2][0].median_a)} ms to stop, "
                    + ", ".join(f"{p} {fmt(cells[0].median_b)}" for p, _, cells in by_partner))
    if any(e.language == "C++" for e in executors(results)) and parts:
        row.notes.append(CANCELS)
    row.measured = "; ".join(said)
    _finish(row, parts, "the executor", "no failure injection of a fiber executor")
    return row


# Learning curve: the same proxy as the table.

def _learning(results: Results) -> TableRow:
    row = _row(learning, "Learning curve", "none: no benchmark measures learning")
    row.verdict = Verdict(UNMEASURABLE, "no benchmark measures learning")
    said = []
    for e in executors(results):
        if e.source_lines is None:
            continue
        others = [f"{p} {results.catalogue.get(p).source_lines}" for p, _ in partners(results, e)
                  if results.catalogue.get(p).source_lines is not None]
        row.notes.append(f"Proxy only: {e.name} is {e.source_lines} lines"
                         + (f"; {', '.join(others)}" if others else "")
                         + ", each its own file with the project headers it includes.")
        said.append(f"{e.name} {e.source_lines}")
    if said:
        row.measured = "proxy: lines of code, " + ", ".join(said)
    return row


ROWS = (_concurrency, _cpu, _io, _memory, _complexity, _errors, _learning)


def evaluate(results: Results) -> List[TableRow]:
    """The section's seven rows; empty when the catalogue has no fibers-side executor."""
    if not executors(results):
        return []
    return [make(results) for make in ROWS]

