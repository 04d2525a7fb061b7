package io.spindle.node.dispatch;

/** Worker scripts for behaviours the built-in workers do not have. */
final class TestWorkers {
    private TestWorkers() {}

    /**
     * A Python SDK worker: {@code cpu.params} returns the run's config; {@code cpu.escape} declares an output
     * outside its scratch dir (bypassing the SDK's own check, as a buggy or hostile worker could).
     */
    static final String SDK_WORKER = """
            import os, sys
            import spindle_worker as sw

            class TestWorker(sw.Worker):
                name = "test-worker"
                job_types = ["cpu.params", "cpu.escape"]

                def execute(self, job, ctx):
                    if job.type == "cpu.params":
                        return {"params": ctx.params, "config_id": job.config_id, "config_version": job.config_version}
                    with open(os.path.join(ctx.scratch_dir, "ok.txt"), "w") as f:
                        f.write("ok")
                    ctx.artifact("ok.txt", "text", "text/plain")
                    ctx._artifacts.append({"path": "../../escape.txt", "kind": "text", "mime": "text/plain"})
                    return {}

            sys.exit(TestWorker().serve())
            """;

    /**
     * A raw-socket worker that breaks the protocol on a job's first attempt, as its input's {@code garbage} says:
     * {@code json} (a frame that is not JSON), {@code op} (an unknown op), {@code oversize} (a frame over the
     * limit); it then waits, as a confused worker would. Later attempts succeed with {@code {"attempt": n}}.
     */
    static final String GARBAGE_WORKER = """
            import json, os, socket, struct, sys

            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.connect(os.environ["SPINDLE_WORKER_SOCKET"])
            frames = sock.makefile("rb")

            def send_raw(payload):
                sock.sendall(struct.pack(">I", len(payload)) + payload)

            def send(message):
                send_raw(json.dumps(message).encode("utf-8"))

            send({"op": "hello", "name": "garbage", "job_types": ["cpu.echo"], "version": "0", "pid": os.getpid()})
            while True:
                header = frames.read(4)
                if len(header) < 4:
                    sys.exit(0)
                (length,) = struct.unpack(">I", header)
                message = json.loads(frames.read(length))
                if message["op"] == "shutdown":
                    sys.exit(0)
                if message["op"] != "run":
                    continue
                garbage = message["input"].get("garbage")
                if message["attempt"] == 1 and garbage:
                    if garbage == "json":
                        send_raw(b"{this is not json")
                    elif garbage == "op":
                        send({"op": "teleport", "job_id": message["job_id"]})
                    else:
                        send_raw(b"x" * (int(os.environ["SPINDLE_MAX_FRAME_BYTES"]) + 1))
                    continue
                send({"op": "result", "job_id": message["job_id"], "outputs": {"attempt": message["attempt"]}, "artifacts": []})
            """;
}
