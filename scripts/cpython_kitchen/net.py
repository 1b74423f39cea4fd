"""The pantry over loopback sockets, for py_kitchen.py's net rows (--io=net): the pantry_server
child process, and the connections a chef fetches its ingredients through.

The wire protocol is src/pantry/protocol.hpp's: fixed 24-byte little-endian frames. On accept
the server sends a hello (magic, version 1, kind 3, payload bytes, maximum delay); a request is
(magic, version, kind 1, ingredient, delay_us, request id); its reply echoes the same fields with
kind 2, followed by payload_bytes bytes, delay_us after the request arrived. A reply that takes
longer than 10 x delay + 1 s is a timed-out connection.

Each chef owns one connection, opened before a row's services and reused by every one of them:
BlockingLink (a blocking socket, for threads and for the coroutine that blocks its loop; or
gevent's socket, the same calls, whose waits switch greenlets) or StreamLink (asyncio
streams). A refused, reset or timed-out connection raises PantryError naming the connection and
the cause; the row becomes an error row.
"""

import asyncio
import os
import select
import socket
import struct
import subprocess
import time
from typing import List, Optional

from .flags import UsageError

MAGIC = 0x4E41504B
VERSION = 1
KIND_REQUEST, KIND_REPLY, KIND_HELLO = 1, 2, 3
FRAME = struct.Struct("<IHHIIQ")  # magic, version, kind, ingredient|payload, delay|max, id|0
HOST = "127.0.0.1"
DEFAULT_PAYLOAD_BYTES, MAX_PAYLOAD_BYTES = 64, 1 << 20  # the server's default and maximum
START_TIMEOUT_S = 5.0  # how long the server may take to print its port
STOP_GRACE_S = 5.0     # how long it may take to exit once its stdin is closed


class PantryError(Exception):
    """A server or connection that failed; str() is one line naming which one and why."""


def reply_timeout_s(delay_us: int) -> float:
    """How long a client waits for a reply: 10 times the delay, plus 1 s (reply_timeout)."""
    return delay_us * 10 / 1e6 + 1.0


def request_frame(ingredient: int, delay_us: int, request_id: int) -> bytes:
    return FRAME.pack(MAGIC, VERSION, KIND_REQUEST, ingredient, delay_us, request_id)


def check_reply(head: bytes, ingredient: int, delay_us: int, request_id: int) -> Optional[str]:
    """Why a reply's header is not the answer to that request, or None when it is."""
    magic, version, kind, got_ingredient, got_delay, got_id = FRAME.unpack(head)
    if magic != MAGIC:
        return f"bad magic 0x{magic:08X} in a reply"
    if version != VERSION or kind != KIND_REPLY:
        return f"version {version}, kind {kind} where a reply (version 1, kind 2) was expected"
    if (got_ingredient, got_delay, got_id) != (ingredient, delay_us, request_id):
        return (f"reply to request {got_id} (ingredient {got_ingredient}, {got_delay} us) where "
                f"request {request_id} was expected")
    return None


def check_hello(head: bytes, payload_bytes: int) -> Optional[str]:
    magic, version, kind, payload, _max_delay, _zero = FRAME.unpack(head)
    if magic != MAGIC or kind != KIND_HELLO:
        return f"no pantry hello (magic 0x{magic:08X}, kind {kind})"
    if payload != payload_bytes:
        return f"hello announces {payload}-byte payloads, {payload_bytes} were asked"
    return None


def raise_open_file_limit() -> None:
    """Lift the soft limit on open files to the hard one: a row holds a connection per chef."""
    try:
        import resource
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft != hard:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    except (ImportError, OSError, ValueError):
        pass


FILE_MARGIN = 32
"""Descriptors a process needs beyond a row's connections (its files, pipes, event loops and the
server's listening socket), as bench/net_rows.cpp counts them."""


def check_file_budget(chefs: int) -> None:
    """A row of `chefs` connections holds that many sockets here and as many in the pantry
    server, which inherits this process's limit. Past it, connect() or the server's accept()
    fails and the row would end seconds later in timeouts that do not say why: it is refused
    first, naming the limit (check_file_budget in bench/net_rows.cpp). Raises PantryError."""
    try:
        import resource
        soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    except (ImportError, OSError, ValueError):
        return
    if soft == resource.RLIM_INFINITY:
        return
    try:
        # The listing's own descriptor is one of those listed.
        open_now = max(len(os.listdir("/proc/self/fd")) - 1, 0)
    except OSError:
        open_now = 0
    needed = open_now + chefs + FILE_MARGIN
    if needed > soft:
        raise PantryError(
            f"a net row of {chefs} chefs needs about {needed} open files (a connection per chef, "
            f"in this process and in the pantry server, besides {open_now} open now and "
            f"{FILE_MARGIN} to spare), but the limit is {soft} (RLIMIT_NOFILE, raised to its "
            f"hard limit): raise it with ulimit -n {needed} or more")


def default_pantry_server() -> str:
    """pantry_server beside $KITCHEN_BENCH_BIN when set (bench_kitchen finds it beside itself),
    else in the release build of this repository."""
    bench = os.environ.get("KITCHEN_BENCH_BIN")
    if bench:
        return os.path.join(os.path.dirname(os.path.abspath(bench)), "pantry_server")
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    return os.path.join(root, "build", "release", "bin", "pantry_server")


def server_path(given: Optional[str], needed: bool) -> str:
    """The server's path; refused up front when net rows need it and it is not a program."""
    path = given or default_pantry_server()
    if needed and not (os.path.isfile(path) and os.access(path, os.X_OK)):
        how = ("give --pantry-server=PATH" if given else
               "build it (cmake --preset release && cmake --build --preset release) or give "
               "--pantry-server=PATH")
        raise UsageError(f"--io=net: no pantry server program at {path}; {how}")
    return path


def schedstat_cpu_ns(pid: int) -> Optional[int]:
    """The time the process's threads have spent on a CPU, in ns: the first field of each
    /proc/<pid>/task/<tid>/schedstat, summed; None if any cannot be read (no schedstats in
    this kernel, or the process has gone)."""
    tasks = f"/proc/{pid}/task"
    try:
        names = os.listdir(tasks)
    except OSError:
        return None
    total = 0
    for name in names:
        try:
            with open(f"{tasks}/{name}/schedstat", "rb") as f:
                first = f.read().split(None, 1)
        except OSError:
            return None
        if not first or not first[0].isdigit():
            return None
        total += int(first[0])
    return total if names else None


class PantryServer:
    """pantry_server as a child: a pipe on its stdin that only this process holds (closing it,
    or this process dying, stops the server), its port read from its first stdout line."""

    def __init__(self, program: str, payload_bytes: int):
        self.program = program
        self.payload_bytes = payload_bytes
        self._ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
        try:
            self.process = subprocess.Popen(
                [program, f"--payload-bytes={payload_bytes}"], stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, close_fds=True)
        except OSError as e:
            raise PantryError(f"cannot start {program}: {e.strerror or e}") from None
        try:
            self.port = self._read_port()
        except PantryError:
            self.stop()
            raise

    def _read_port(self) -> int:
        out = self.process.stdout
        line = b""
        deadline = time.monotonic() + START_TIMEOUT_S
        while not line.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([out], [], [], left)[0]:
                raise PantryError(f"{self.program} printed no port within {START_TIMEOUT_S:g} s")
            chunk = os.read(out.fileno(), 64)
            if not chunk:
                raise PantryError(f"{self.program} exited before printing its port "
                                  f"(status {self.process.wait()})")
            line += chunk
        text = line.split(b"\n", 1)[0].decode("ascii", "replace").strip()
        if not text.isdigit() or not 0 < int(text) < 65536:
            raise PantryError(f"{self.program} printed '{text}' where a port was expected")
        return int(text)

    def cpu_ns(self) -> Optional[int]:
        """Its CPU time so far, in ns: the sum over its threads of the first field of
        /proc/<pid>/task/<tid>/schedstat (time on a CPU, as schedstat_cpu in
        src/pantry/pantry_process.cpp); where that cannot be read, user + system time from
        /proc/<pid>/stat (clock ticks, 10 ms on most kernels); None where /proc is missing or
        it has ended."""
        scheduled = schedstat_cpu_ns(self.process.pid)
        if scheduled is not None:
            return scheduled
        return self._stat_cpu_ns()

    def _stat_cpu_ns(self) -> Optional[int]:
        try:
            with open(f"/proc/{self.process.pid}/stat", "rb") as f:
                stat = f.read().decode("ascii", "replace")
        except OSError:
            return None
        # Fields after the command name, which is in parentheses and may hold spaces.
        fields = stat.rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1_000_000_000 // self._ticks

    def ended(self) -> Optional[str]:
        """How it ended ("exited with status 0", "killed by signal 9"), None while it runs."""
        status = self.process.poll()
        if status is None:
            return None
        return f"killed by signal {-status}" if status < 0 else f"exited with status {status}"

    def stop(self) -> None:
        """Closes its stdin, waits up to STOP_GRACE_S, then kills it; safe to call twice."""
        process = self.process
        for stream in (process.stdin, process.stdout):
            try:
                stream.close()
            except OSError:
                pass
        try:
            process.wait(STOP_GRACE_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _cause(e: BaseException) -> str:
    if isinstance(e, (socket.timeout, asyncio.TimeoutError)):
        return "timed out"
    if isinstance(e, asyncio.IncompleteReadError):
        return f"closed by the server after {len(e.partial)} of {e.expected} bytes"
    # By errno: asyncio's connect puts its own words in strerror.
    if isinstance(e, OSError) and e.errno:
        return os.strerror(e.errno).lower()
    return str(e) or type(e).__name__


class BlockingLink:
    """One chef's connection on a blocking socket: a fetch is a send and exact-size receives.
    `sockets` is the module whose socket() makes it: the standard library's, or gevent.socket,
    whose calls are the same but wait by switching to another greenlet."""

    def __init__(self, port: int, payload_bytes: int, number: int, sockets=socket):
        self.name = f"connection {number} to {HOST}:{port}"
        self.reply_bytes = FRAME.size + payload_bytes
        self._buffer = bytearray(self.reply_bytes)
        self.sent = self.received = self.calls = 0
        self._next_id = 0
        try:
            self.sock = sockets.socket(socket.AF_INET, socket.SOCK_STREAM)
        except OSError as e:
            raise PantryError(f"{self.name}: {_cause(e)}") from None
        # socket() and connect() rather than create_connection(): the address is numeric, and
        # gevent's create_connection would resolve it on a pool of native threads.
        try:
            self.sock.settimeout(reply_timeout_s(0))
            self.sock.connect((HOST, port))
        except OSError as e:
            self.sock.close()
            raise PantryError(f"{self.name}: {_cause(e)}") from None
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._read(FRAME.size, 1.0)
        problem = check_hello(bytes(self._buffer[:FRAME.size]), payload_bytes)
        if problem:
            self.close()
            raise PantryError(f"{self.name}: {problem}")

    def _read(self, size: int, timeout_s: float) -> None:
        view = memoryview(self._buffer)
        got = 0
        self.sock.settimeout(timeout_s)
        try:
            while got < size:
                n = self.sock.recv_into(view[got:size])
                self.calls += 1
                if n == 0:
                    raise PantryError(f"{self.name}: closed by the server after {got} of "
                                      f"{size} bytes")
                got += n
        except OSError as e:
            raise PantryError(f"{self.name}: {_cause(e)}") from None
        self.received += got

    def fetch(self, ingredient: int, delay_us: int) -> None:
        self._next_id += 1
        try:
            self.sock.sendall(request_frame(ingredient, delay_us, self._next_id))
        except OSError as e:
            raise PantryError(f"{self.name}: {_cause(e)}") from None
        self.calls += 1
        self.sent += FRAME.size
        self._read(self.reply_bytes, reply_timeout_s(delay_us))
        problem = check_reply(bytes(self._buffer[:FRAME.size]), ingredient, delay_us,
                              self._next_id)
        if problem:
            raise PantryError(f"{self.name}: {problem}")

    def close(self) -> None:
        self.sock.close()


class StreamLink:
    """One chef's connection as asyncio streams, on the loop that opened it."""

    def __init__(self, name: str, payload_bytes: int, reader, writer):
        self.name = name
        self.reply_bytes = FRAME.size + payload_bytes
        self.reader, self.writer = reader, writer
        self.sent = self.received = self.calls = 0  # calls: asyncio makes its own, uncounted
        self._next_id = 0

    @classmethod
    async def open(cls, port: int, payload_bytes: int, number: int) -> "StreamLink":
        name = f"connection {number} to {HOST}:{port}"
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, port),
                                                    reply_timeout_s(0))
            writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP,
                                                       socket.TCP_NODELAY, 1)
            hello = await asyncio.wait_for(reader.readexactly(FRAME.size), 1.0)
        except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError) as e:
            raise PantryError(f"{name}: {_cause(e)}") from None
        problem = check_hello(hello, payload_bytes)
        if problem:
            writer.close()
            raise PantryError(f"{name}: {problem}")
        return cls(name, payload_bytes, reader, writer)

    async def fetch(self, ingredient: int, delay_us: int) -> None:
        self._next_id += 1
        try:
            self.writer.write(request_frame(ingredient, delay_us, self._next_id))
            reply = await asyncio.wait_for(self.reader.readexactly(self.reply_bytes),
                                           reply_timeout_s(delay_us))
        except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError) as e:
            raise PantryError(f"{self.name}: {_cause(e)}") from None
        self.sent += FRAME.size
        self.received += len(reply)
        problem = check_reply(reply[:FRAME.size], ingredient, delay_us, self._next_id)
        if problem:
            raise PantryError(f"{self.name}: {problem}")

    def close(self) -> None:
        self.writer.close()


class Connections:
    """A row's connections, one per chef, and the loop the asyncio ones live on (None for
    blocking ones). Every service of the row reuses them; close() ends them after the row.
    `sockets`: the module blocking ones are made with (BlockingLink), None for the standard
    library's."""

    def __init__(self, server: PantryServer, chefs: int, streams: bool, sockets=None):
        self.server = server
        self.links: List = []
        self.loop: Optional[asyncio.AbstractEventLoop] = None
        try:
            if streams:
                self.loop = asyncio.new_event_loop()
                self.links = self.loop.run_until_complete(self._open_streams(chefs))
            else:
                for number in range(1, chefs + 1):
                    self.links.append(BlockingLink(server.port, server.payload_bytes, number,
                                                   sockets or socket))
        except BaseException:
            self.close()
            raise

    async def _open_streams(self, chefs: int) -> List[StreamLink]:
        links: List[StreamLink] = []
        try:
            for number in range(1, chefs + 1):
                links.append(await StreamLink.open(self.server.port, self.server.payload_bytes,
                                                   number))
        except BaseException:
            for link in links:
                link.close()
            raise
        return links

    def traffic(self) -> tuple:
        """(bytes sent + received, socket calls) so far, over every connection."""
        return (sum(link.sent + link.received for link in self.links),
                sum(link.calls for link in self.links))

    def close(self) -> None:
        for link in self.links:
            link.close()
        self.links = []
        if self.loop is not None:
            # Let the transports finish closing on their loop, then end it.
            self.loop.run_until_complete(asyncio.sleep(0))
            self.loop.close()
            self.loop = None
