package io.spindle.bridge.runtime;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.args.LogFormat;
import io.spindle.bridge.sdk.WorkerFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one llama.cpp model a {@code llamacpp} worker process keeps loaded: loaded by the first run, reused by the
 * next ones (loading a real GGUF takes seconds to minutes), and replaced only when a run asks for another file or
 * other load settings. Native memory (weights mmapped, KV cache) lives outside the JVM heap.
 */
final class ResidentLlama {
    private static final Logger log = LoggerFactory.getLogger(ResidentLlama.class);

    /** What a model is loaded with; a run asking for different settings reloads it. */
    record LoadSettings(String path, int threads, int contextTokens, int gpuLayers) {}

    private LoadSettings loaded;
    private LlamaModel model;

    /** The model for {@code settings}, loading it (and closing the previous one) when it is not the loaded one. */
    synchronized LlamaModel acquire(LoadSettings settings) throws WorkerFailure {
        if (model != null && settings.equals(loaded)) {
            return model;
        }
        close();
        LlamaModel.setLogger(LogFormat.TEXT, (level, message) -> log.debug("llama.cpp {}: {}", level, message.strip()));
        long started = System.nanoTime();
        try {
            model = new LlamaModel(new ModelParameters()
                    .setModel(settings.path())
                    .setThreads(settings.threads())
                    .setCtxSize(settings.contextTokens())
                    .setGpuLayers(settings.gpuLayers())
                    .setParallel(1));
        } catch (RuntimeException e) { // the binding's LlamaException, which is not public
            throw Failures.unsupported("model_ref", "llama.cpp cannot load " + settings.path() + ": " + e.getMessage());
        }
        loaded = settings;
        log.info("loaded {} ({} threads, n_ctx {}, {} GPU layers) in {} ms", settings.path(), settings.threads(),
                settings.contextTokens(), settings.gpuLayers(), (System.nanoTime() - started) / 1_000_000);
        return model;
    }

    synchronized void close() {
        if (model != null) {
            model.close();
            model = null;
            loaded = null;
        }
    }
}
