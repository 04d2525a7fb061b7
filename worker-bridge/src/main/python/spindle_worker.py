"""Spindle worker SDK for Python: one module, standard library only (Python 3.8+).

A worker subclasses ``Worker``, sets ``name``, ``job_types`` and ``version``, implements
``execute(job, ctx)`` and calls ``serve()``. Running this module serves the built-in cpu workers::

    python3 -m spindle_worker [SOCKET]      # or: python3 spindle_worker.py [SOCKET]

Protocol (see the Spindle design, "Worker protocol (UDS)"): frames of a 4-byte big-endian length
followed by UTF-8 JSON, each an object whose ``op`` names it, over the Unix domain socket given as
first argument or in SPINDLE_WORKER_SOCKET. The worker says ``hello``, then runs one job at a time:
``run`` -> ``progress``/``heartbeat``/``log`` frames -> ``result`` or ``error``. ``cancel`` flags the
job (it answers ``error`` with code ``canceled``); ``shutdown`` or a closed socket ends the worker.
"""

import json
import logging
import os
import queue
import socket
import struct
import sys
import threading
import time

__all__ = ["Worker", "Job", "Context", "WorkerFailure", "Canceled", "BuiltinWorker", "main"]
__version__ = "0.1.0"

ENV_SOCKET = "SPINDLE_WORKER_SOCKET"
ENV_HEARTBEAT_MS = "SPINDLE_HEARTBEAT_MS"
ENV_MAX_FRAME_BYTES = "SPINDLE_MAX_FRAME_BYTES"
DEFAULT_HEARTBEAT_MS = 1000
DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024

CANCELED = "canceled"
WORKER_EXCEPTION = "worker_exception"
WORKER_BUSY = "worker_busy"
UNSUPPORTED_JOB_TYPE = "unsupported_job_type"
INVALID_RUN = "invalid_run"
FRAME_TOO_LARGE = "frame_too_large"
SCRATCH_DIR_MISSING = "scratch_dir_missing"

EXIT_OK = 0
EXIT_CANNOT_CONNECT = 1
EXIT_BAD_SETTINGS = 2

_HEADER = struct.Struct(">I")
_SKIP_CHUNK_BYTES = 64 * 1024
_log = logging.getLogger("spindle_worker")


class ProtocolError(Exception):
    """A frame that breaks the protocol; ``fatal`` when the stream cannot be read any further."""

    def __init__(self, message, fatal=False):
        super().__init__(message)
        self.fatal = fatal


class WorkerFailure(Exception):
    """Raised by ``execute`` to fail a job on purpose; ``transient`` says whether a retry may help."""

    def __init__(self, code, message, transient=False):
        super().__init__(message)
        self.code = code
        self.message = message
        self.transient = bool(transient)


class Canceled(WorkerFailure):
    """The failure a job ends with when the bridge cancels it."""

    def __init__(self):
        super().__init__(CANCELED, "job canceled", False)


class Job:
    """One attempt of a job: what to run, against which config, where to write, and until when."""

    __slots__ = ("job_id", "type", "input", "config_id", "config_version", "params", "runtime_backend",
                 "model_ref", "attempt", "scratch_dir", "deadline_ms")

    def __init__(self, frame):
        config = frame.get("config") or {}
        self.job_id = frame["job_id"]
        self.type = frame["type"]
        self.input = frame.get("input", {})
        self.config_id = config.get("id")
        self.config_version = config.get("version", 0)
        self.params = config.get("params") or {}
        # The config's runtime_backend and model_ref (None when it names none).
        self.runtime_backend = config.get("runtime_backend")
        self.model_ref = config.get("model_ref")
        self.attempt = int(frame.get("attempt", 1))
        self.scratch_dir = os.path.abspath(frame["scratch_dir"])
        self.deadline_ms = int(frame.get("deadline", 0))

    def seconds_left(self):
        return self.deadline_ms / 1000.0 - time.time()


def _frame(op, **fields):
    """A message dict without its None fields (absent and null mean the same in the protocol)."""
    message = {"op": op}
    for key, value in fields.items():
        if value is not None:
            message[key] = value
    return message


class _Connection:
    """The worker's end of the socket. ``send`` is thread-safe; ``next`` belongs to the reading thread."""

    def __init__(self, sock, max_frame_bytes):
        self._sock = sock
        self._reader = sock.makefile("rb")
        self._max = max_frame_bytes
        self._lock = threading.Lock()
        self.open = True

    def send(self, message):
        payload = json.dumps(message, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        if len(payload) > self._max:
            raise ProtocolError("frame of %d bytes exceeds the maximum of %d" % (len(payload), self._max))
        with self._lock:
            if not self.open:
                return
            try:
                self._sock.sendall(_HEADER.pack(len(payload)) + payload)
            except OSError as e:
                self.open = False
                _log.warning("writing to the bridge failed: %s", e)

    def next(self):
        """The next frame's payload, or None when the bridge closed the connection between frames."""
        header = self._reader.read(_HEADER.size)
        if not header:
            return None
        if len(header) < _HEADER.size:
            raise ProtocolError("stream ended inside a length prefix", fatal=True)
        (length,) = _HEADER.unpack(header)
        if length > self._max:
            left = length
            while left > 0:
                chunk = self._reader.read(min(left, _SKIP_CHUNK_BYTES))
                if not chunk:
                    raise ProtocolError("stream ended inside an oversize frame", fatal=True)
                left -= len(chunk)
            raise ProtocolError("frame of %d bytes exceeds the maximum of %d" % (length, self._max))
        payload = self._reader.read(length)
        if len(payload) < length:
            raise ProtocolError("stream ended after %d of %d payload bytes" % (len(payload), length), fatal=True)
        return payload

    def close(self):
        with self._lock:
            self.open = False
        for closeable in (self._reader, self._sock):
            try:
                closeable.close()
            except OSError:
                pass


class Context:
    """What a running job can see and do: inputs, progress, artifacts, logs, and cancellation."""

    def __init__(self, job, connection):
        self.job = job
        self._connection = connection
        self._cancelled = threading.Event()
        self._lock = threading.Lock()
        self._artifacts = []
        self._auto_heartbeat = True
        self._finished = False

    @property
    def input(self):
        return self.job.input

    @property
    def params(self):
        """The ModelConfig's runtime params."""
        return self.job.params

    @property
    def scratch_dir(self):
        """Where the job writes its outputs; it exists when ``execute`` starts."""
        return self.job.scratch_dir

    @property
    def attempt(self):
        return self.job.attempt

    def progress(self, percent, message=None):
        """Reports progress in percent (0-100)."""
        self._send(_frame("progress", job_id=self.job.job_id, percent=float(percent), message=message))

    def artifact(self, path, kind="file", mime="application/octet-stream"):
        """Declares a file the job wrote: a relative path is taken in the scratch dir, an absolute one must be inside it."""
        root = self.job.scratch_dir
        full = os.path.normpath(path if os.path.isabs(path) else os.path.join(root, path))
        relative = os.path.relpath(full, root)
        if relative == os.curdir or relative == os.pardir or relative.startswith(os.pardir + os.sep):
            raise ValueError("artifact %r is not inside the scratch dir %s" % (path, root))
        with self._lock:
            self._artifacts.append({"path": relative.replace(os.sep, "/"), "kind": kind, "mime": mime})

    def is_cancelled(self):
        return self._cancelled.is_set()

    def check_cancelled(self):
        """Raises ``Canceled`` once the bridge canceled the job: a check point for loops."""
        if self._cancelled.is_set():
            raise Canceled()

    def sleep(self, seconds):
        """Sleeps, raising ``Canceled`` as soon as the job is canceled."""
        if self._cancelled.wait(max(0.0, seconds)):
            raise Canceled()

    def log(self, level, message):
        """Sends a log line to the node's log, tagged with this job."""
        self._send(_frame("log", job_id=self.job.job_id, level=level, message=str(message)))

    def heartbeat(self):
        """Sends a heartbeat now (besides the automatic ones)."""
        with self._lock:
            if not self._finished:
                self._send(_frame("heartbeat", job_id=self.job.job_id))

    def auto_heartbeat(self, enabled):
        """Turns automatic heartbeats off (or on again): a worker driving an external runtime can then call
        ``heartbeat()`` only while the runtime answers, so a stuck runtime shows as a silent worker."""
        self._auto_heartbeat = bool(enabled)

    def _auto_beat(self):
        if self._auto_heartbeat:
            self.heartbeat()

    def _cancel(self):
        self._cancelled.set()

    def _finish(self):
        with self._lock:
            self._finished = True
            return list(self._artifacts)

    def _send(self, message):
        try:
            self._connection.send(message)
        except ProtocolError as e:
            _log.warning("dropping a frame for job %s: %s", self.job.job_id, e)


class Worker:
    """Base class of a Python worker: set the class attributes, implement ``execute``, call ``serve``."""

    name = "python-worker"
    job_types = ()
    version = "0"

    def execute(self, job, ctx):
        """Runs one job attempt and returns its outputs (a dict). Raise ``WorkerFailure`` to fail it on purpose;
        any other exception fails it as transient ``worker_exception``."""
        raise NotImplementedError

    def serve(self, socket_path=None, heartbeat_ms=None, max_frame_bytes=None):
        """Connects to the bridge and serves jobs until shutdown or a closed socket; returns an exit status."""
        try:
            socket_path = socket_path or os.environ.get(ENV_SOCKET)
            if not socket_path:
                raise ValueError("no socket path: pass it as first argument or set " + ENV_SOCKET)
            heartbeat_ms = heartbeat_ms or _positive_env(ENV_HEARTBEAT_MS, DEFAULT_HEARTBEAT_MS)
            max_frame_bytes = max_frame_bytes or _positive_env(ENV_MAX_FRAME_BYTES, DEFAULT_MAX_FRAME_BYTES)
        except ValueError as e:
            _log.error("worker %s cannot start: %s", self.name, e)
            return EXIT_BAD_SETTINGS
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(socket_path)
        except OSError as e:
            sock.close()
            _log.error("worker %s cannot connect to %s: %s", self.name, socket_path, e)
            return EXIT_CANNOT_CONNECT
        connection = _Connection(sock, max_frame_bytes)
        self._current = None
        self._current_lock = threading.Lock()
        jobs = queue.SimpleQueue()
        stop = threading.Event()
        job_thread = threading.Thread(target=self._job_loop, args=(jobs, connection), name="spindle-job", daemon=True)
        beat_thread = threading.Thread(target=self._heartbeat_loop, args=(stop, heartbeat_ms / 1000.0),
                                       name="spindle-heartbeat", daemon=True)
        try:
            connection.send(_frame("hello", name=self.name, job_types=list(self.job_types), version=str(self.version),
                                   pid=os.getpid()))
            job_thread.start()
            beat_thread.start()
            self._read_until_done(connection, jobs)
        finally:
            stop.set()
            jobs.put(None)
            connection.close()
        return EXIT_OK

    def _read_until_done(self, connection, jobs):
        while True:
            try:
                payload = connection.next()
                if payload is None:
                    _log.info("bridge closed the connection; worker %s stops", self.name)
                    return
                message = json.loads(payload.decode("utf-8"))
                if not isinstance(message, dict):
                    raise ProtocolError("frame is not a JSON object")
            except ProtocolError as e:
                _log.warning("worker %s ignores a frame: %s", self.name, e)
                if e.fatal:
                    return
                continue
            except ValueError as e:  # bad UTF-8 or JSON
                _log.warning("worker %s ignores a frame that is not JSON: %s", self.name, e)
                continue
            except OSError as e:
                _log.info("connection to the bridge failed (%s); worker %s stops", e, self.name)
                return
            op = message.get("op")
            if op == "run":
                self._start(message, connection, jobs)
            elif op == "cancel":
                with self._current_lock:
                    ctx = self._current
                if ctx is not None and ctx.job.job_id == message.get("job_id"):
                    ctx._cancel()
            elif op == "shutdown":
                _log.info("bridge asked worker %s to shut down", self.name)
                return
            else:
                # Unknown ops are skipped so an older worker survives a newer bridge.
                _log.warning("worker %s ignores unknown op %r", self.name, op)

    def _start(self, message, connection, jobs):
        try:
            job = Job(message)
        except (KeyError, TypeError, ValueError) as e:
            job_id = message.get("job_id")
            _log.warning("invalid run frame for job %s: %r", job_id, e)
            if isinstance(job_id, str):
                _reply(connection, _error(job_id, "invalid run frame: %r" % (e,), INVALID_RUN, False))
            return
        ctx = Context(job, connection)
        with self._current_lock:
            busy = self._current
            if busy is None:
                self._current = ctx
        if busy is not None:
            _reply(connection, _error(job.job_id, "worker is busy with job " + busy.job.job_id, WORKER_BUSY, True))
            return
        jobs.put(ctx)

    def _job_loop(self, jobs, connection):
        while True:
            ctx = jobs.get()
            if ctx is None:
                return
            self._run_job(ctx, connection)

    def _run_job(self, ctx, connection):
        job = ctx.job
        outputs = None
        failure = None
        try:
            ctx.check_cancelled()
            _require_scratch_dir(job)
            outputs = self.execute(job, ctx)
            if outputs is None:
                outputs = {}
            if not isinstance(outputs, dict):
                raise TypeError("execute must return a dict, returned %s" % type(outputs).__name__)
        except WorkerFailure as e:
            failure = _error(job.job_id, e.message, e.code, e.transient)
        except BaseException as e:  # a worker's bug must become an answer, not a silent job
            _log.warning("job %s raised", job.job_id, exc_info=True)
            failure = _error(job.job_id, "%s: %s" % (type(e).__name__, e), WORKER_EXCEPTION, True)
        artifacts = ctx._finish()
        with self._current_lock:
            if self._current is ctx:
                self._current = None
        if ctx.is_cancelled():
            answer = _error(job.job_id, "job canceled", CANCELED, False)
        elif failure is not None:
            answer = failure
        else:
            answer = _frame("result", job_id=job.job_id, outputs=outputs, artifacts=artifacts)
        _reply(connection, answer)

    def _heartbeat_loop(self, stop, interval_s):
        while not stop.wait(interval_s):
            with self._current_lock:
                ctx = self._current
            if ctx is not None:
                ctx._auto_beat()


def _require_scratch_dir(job):
    # The node creates each attempt's scratch dir, private, before it sends the run, and deletes it when the
    # attempt ends: a dir that is gone means the node stopped this attempt before the job loop reached it. The job
    # must not run, and re-creating the dir would leave it behind with this process's umask.
    if not os.path.isdir(job.scratch_dir):
        raise WorkerFailure(SCRATCH_DIR_MISSING,
                            "scratch dir %s does not exist: the node has ended this attempt" % job.scratch_dir,
                            transient=True)


def _error(job_id, message, code, transient):
    return _frame("error", job_id=job_id, message=message, code=code, transient=bool(transient))


def _reply(connection, answer):
    try:
        connection.send(answer)
    except ProtocolError as e:  # outputs over the frame limit: a retry will not shrink them
        connection.send(_error(answer.get("job_id"), str(e), FRAME_TOO_LARGE, False))
    except (TypeError, ValueError) as e:  # outputs that are not JSON
        connection.send(_error(answer.get("job_id"), "outputs are not JSON: %s" % e, WORKER_EXCEPTION, True))


def _positive_env(name, default):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        parsed = int(value)
    except ValueError:
        parsed = 0
    if parsed <= 0:
        raise ValueError("%s must be a positive integer, was %r" % (name, value))
    return parsed


class BuiltinWorker(Worker):
    """The built-in cpu workers, with the same inputs and outputs as the Java built-ins."""

    ECHO_ARTIFACT = "echo.json"
    DEFAULT_SLEEP_MS = 1000
    SLEEP_PROGRESS_STEPS = 5
    DEFAULT_FAIL_CODE = "cpu_fail"
    CRASH_EXIT_CODE = 137  # what a SIGKILLed (e.g. OOM-killed) runtime exits with
    HANG_NAP_S = 3600

    name = "spindle-builtin-python"
    job_types = ("cpu.echo", "cpu.noop", "cpu.sleep", "cpu.fail", "cpu.crash", "cpu.hang")
    version = __version__

    def execute(self, job, ctx):
        handler = {
            "cpu.echo": self._echo,
            "cpu.noop": self._noop,
            "cpu.sleep": self._sleep,
            "cpu.fail": self._fail,
            "cpu.crash": self._crash,
            "cpu.hang": self._hang,
        }.get(job.type)
        if handler is None:
            raise WorkerFailure(UNSUPPORTED_JOB_TYPE, "built-in workers do not run " + job.type, False)
        return handler(job, ctx)

    def _echo(self, job, ctx):
        """Returns its input as outputs and writes it as the JSON artifact echo.json."""
        with open(os.path.join(ctx.scratch_dir, self.ECHO_ARTIFACT), "w", encoding="utf-8") as f:
            json.dump(job.input, f, separators=(",", ":"), ensure_ascii=False)
        ctx.artifact(self.ECHO_ARTIFACT, "json", "application/json")
        return dict(job.input) if isinstance(job.input, dict) else {"value": job.input}

    def _noop(self, job, ctx):
        """Does nothing and writes nothing: what `spindle bench --noop` runs to measure the fabric alone."""
        return {}

    def _sleep(self, job, ctx):
        """Sleeps duration_ms, reporting progress after each step; stops as soon as it is canceled."""
        duration_ms = int(_get(job.input, "duration_ms", self.DEFAULT_SLEEP_MS))
        steps = self.SLEEP_PROGRESS_STEPS
        for step in range(1, steps + 1):
            ctx.sleep(duration_ms / steps / 1000.0)
            ctx.progress(100.0 * step / steps, "slept %d/%d" % (step, steps))
        return {"slept_ms": duration_ms}

    def _fail(self, job, ctx):
        """Fails with the given code, message and transience, or only while attempt <= fail_attempts."""
        limit = _get(job.input, "fail_attempts", None)
        if limit is not None and job.attempt > int(limit):
            return {"attempt": job.attempt}
        raise WorkerFailure(_get(job.input, "code", self.DEFAULT_FAIL_CODE),
                            _get(job.input, "message", "cpu.fail failed as asked"),
                            bool(_get(job.input, "transient", False)))

    def _crash(self, job, ctx):
        """Kills the process mid-job, or only while attempt <= crash_attempts."""
        limit = _get(job.input, "crash_attempts", None)
        if limit is not None and job.attempt > int(limit):
            return {"attempt": job.attempt}
        os._exit(self.CRASH_EXIT_CODE)

    def _hang(self, job, ctx):
        """Never answers and stops heartbeating, ignoring cancel: an unresponsive worker for deadline tests."""
        ctx.auto_heartbeat(False)
        while True:
            time.sleep(self.HANG_NAP_S)


def _get(obj, key, default):
    return obj.get(key, default) if isinstance(obj, dict) else default


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s[%(process)d] %(message)s")
    return BuiltinWorker().serve(argv[0] if argv else None)


if __name__ == "__main__":
    sys.exit(main())
