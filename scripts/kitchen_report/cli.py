"""What every entry point in scripts/ shares: one argument parser whose errors are one line and
exit status 2, and one way to turn an unusable input or output into that same line."""

import argparse
import sys
from typing import Callable, List, Optional

from .load import LoadError


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr and exit status 2, like bad input."""

    def __init__(self, prog: str, doc: str):
        super().__init__(prog=prog, description=doc.strip().split("\n\n")[0])

    def error(self, message):
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        sys.exit(2)


def run(prog: str, work: Callable[[], None], partial: str = "no file was written") -> int:
    """Call `work`; a LoadError or OSError becomes one line on stderr and status 2, Ctrl-C a line
    saying what was left (`partial`) and status 130."""
    try:
        work()
    except LoadError as e:
        sys.stderr.write(f"{prog}: error: {e}\n")
        return 2
    except OSError as e:
        where = f" {e.filename}" if e.filename else ""
        sys.stderr.write(f"{prog}: error: cannot write{where}: {e.strerror or e}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write(f"{prog}: interrupted; {partial}\n")
        return 130
    return 0


def inputs_argument(parser: Parser, name: str = "RESULTS.json",
                    nargs: Optional[str] = "+") -> None:
    parser.add_argument("inputs", nargs=nargs, metavar=name,
                        help="Google Benchmark JSON from bench_kitchen and/or py_kitchen.py "
                             "(a results folder stands for its bench.json)")


def strict_argument(parser: Parser) -> None:
    parser.add_argument("--strict", action="store_true",
                        help="treat any failed row (SkipWithError) as an input error")


def argv_or_default(argv: Optional[List[str]]) -> List[str]:
    return sys.argv[1:] if argv is None else argv
