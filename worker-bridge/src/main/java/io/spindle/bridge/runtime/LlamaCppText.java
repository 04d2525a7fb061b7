package io.spindle.bridge.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.Pair;
import io.spindle.bridge.sdk.JobRun;
import io.spindle.bridge.sdk.WorkerContext;
import io.spindle.bridge.sdk.WorkerFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code text.generate} and {@code text.chat} on llama.cpp inside the worker process, through its Java binding
 * ({@code de.kherud:llama}). The config's {@code model_ref} is a GGUF file on the node; the model stays loaded for
 * the process's life ({@link ResidentLlama}). Load params: {@code threads}, {@code n_ctx}, {@code gpu_layers};
 * sampling as in {@link TextRequest}. Tokens stream as progress; a cancel or the deadline stops generation.
 */
public final class LlamaCppText implements RuntimeShim {
    public static final String BACKEND = "llamacpp";
    /** The JVM heap a llamacpp worker needs: the weights and KV cache are native memory, not heap. */
    static final int HEAP_MB = 128;
    static final int DEFAULT_THREADS = 1;
    static final int MAX_THREADS = 256;
    static final int DEFAULT_CONTEXT = 2_048;
    static final int MIN_CONTEXT = 64;
    static final int MAX_CONTEXT = 1 << 20;
    static final int MAX_GPU_LAYERS = 10_000;
    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
    /** llama.cpp's "pick a random seed". */
    private static final int RANDOM_SEED = -1;
    /** Set to the directory of a self-built libjllama (e.g. with CUDA); the binding then loads that one. */
    static final String LIBRARY_PATH_PROPERTY = "de.kherud.llama.lib.path";
    private static final double PERCENT_LOADING = 1;

    private final ResidentLlama resident = new ResidentLlama();

    @Override
    public String backend() {
        return BACKEND;
    }

    @Override
    public List<String> jobTypes() {
        return List.of(TextRequest.GENERATE, TextRequest.CHAT);
    }

    @Override
    public int maxHeapMb() {
        return HEAP_MB;
    }

    /** Checked without loading the native library (the node itself calls this and must not map llama.cpp). */
    @Override
    public Optional<String> unavailableReason() {
        if (System.getProperty(LIBRARY_PATH_PROPERTY) != null) {
            return Optional.empty();
        }
        String folder = nativeFolder();
        return LlamaModel.class.getResource("/de/kherud/llama/" + folder + "/") != null ? Optional.empty()
                : Optional.of("the llama.cpp binding ships no native library for " + folder + " (set -D" + LIBRARY_PATH_PROPERTY
                        + " to a self-built one)");
    }

    private static String nativeFolder() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String osFolder = os.contains("linux") ? "Linux" : os.contains("mac") ? "Mac" : os.contains("windows") ? "Windows" : os;
        String archFolder = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch.equals("arm64") ? "aarch64" : arch;
        return osFolder + "/" + archFolder;
    }

    @Override
    public ObjectNode run(JobRun job, WorkerContext ctx) throws WorkerFailure {
        TextRequest request = TextRequest.of(job);
        ResidentLlama.LoadSettings settings = loadSettings(job);
        Duration budget = Deadlines.budget(job, DEFAULT_TIMEOUT);
        long deadline = System.nanoTime() + budget.toNanos();

        ctx.progress(PERCENT_LOADING, "loading " + settings.path());
        LlamaModel model = resident.acquire(settings);
        try {
            String prompt = request.isChat() ? model.applyTemplate(chat(request.messages())) : request.prompt();
            int promptTokens = model.encode(prompt).length;
            if (promptTokens >= settings.contextTokens()) {
                throw Failures.invalidInput(request.isChat() ? "messages" : "prompt", promptTokens
                        + " tokens do not fit the context of " + settings.contextTokens() + " (params.n_ctx)");
            }
            TextStream stream = generate(model, inference(prompt, request), request.maxTokens(), deadline, budget, ctx);
            String finish = stream.tokens() >= request.maxTokens() ? GeneratedText.LENGTH : GeneratedText.STOP;
            ObjectNode outputs = GeneratedText.deliver(stream.text(), finish, promptTokens, stream.tokens(), job, ctx);
            outputs.put("backend", BACKEND).put("model", settings.path());
            return outputs;
        } catch (RuntimeException e) { // the binding's LlamaException, which is not public
            throw WorkerFailure.transientFailure(Failures.RUNTIME_CRASHED, "llama.cpp failed: " + e.getMessage());
        }
    }

    /**
     * Streams the tokens; every output but the last carries one sampled token (the last only closes the stream),
     * except that llama.cpp holds back a token ending inside a UTF-8 character or a possible stop string and sends
     * it with the next, so the count is the tokens streamed.
     */
    private static TextStream generate(LlamaModel model, InferenceParameters params, int maxTokens, long deadline,
            Duration budget, WorkerContext ctx) throws WorkerFailure {
        TextStream stream = new TextStream(ctx, maxTokens);
        LlamaIterator tokens = model.generate(params).iterator();
        while (tokens.hasNext()) {
            if (ctx.isCancelled()) {
                tokens.cancel();
                throw WorkerFailure.canceled();
            }
            if (System.nanoTime() > deadline) {
                tokens.cancel();
                throw Failures.timeout("llama.cpp generated " + stream.tokens() + " tokens and was stopped after " + budget.toMillis() + " ms");
            }
            LlamaOutput output = tokens.next();
            stream.append(output.text, tokens.hasNext() ? 1 : 0);
        }
        stream.report();
        return stream;
    }

    private static InferenceParameters inference(String prompt, TextRequest request) {
        InferenceParameters params = new InferenceParameters(prompt)
                .setNPredict(request.maxTokens())
                .setTemperature((float) request.temperature())
                .setTopP((float) request.topP())
                .setSeed(request.seed().isPresent() ? (int) request.seed().getAsLong() : RANDOM_SEED)
                // Each run evaluates its whole prompt: a reused KV-cache prefix changes the batch shapes and with
                // them the last bits of the logits, and a seeded run must give the same tokens every time.
                .setCachePrompt(false);
        if (!request.stop().isEmpty()) {
            params.setStopStrings(request.stop().toArray(String[]::new));
        }
        return params;
    }

    /** The binding takes one system message and user/assistant turns; several system messages are joined. */
    private static InferenceParameters chat(List<ChatMessage> messages) {
        List<String> system = new ArrayList<>();
        List<Pair<String, String>> turns = new ArrayList<>();
        for (ChatMessage m : messages) {
            if (m.role().equals(ChatMessage.SYSTEM)) {
                system.add(m.content());
            } else {
                turns.add(new Pair<>(m.role(), m.content()));
            }
        }
        return new InferenceParameters("").setMessages(String.join("\n\n", system), turns);
    }

    private static ResidentLlama.LoadSettings loadSettings(JobRun job) throws WorkerFailure {
        if (job.modelRef() == null || job.modelRef().isBlank()) {
            throw Failures.invalidParams("model_ref", "config " + job.configId() + " names no GGUF file");
        }
        Path path = Path.of(job.modelRef()).toAbsolutePath().normalize();
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw Failures.invalidParams("model_ref", "no readable GGUF file at " + path + " on this node");
        }
        RunFields fields = new RunFields(job);
        return new ResidentLlama.LoadSettings(path.toString(),
                (int) fields.integer("threads", DEFAULT_THREADS, 1, MAX_THREADS),
                (int) fields.integer("n_ctx", DEFAULT_CONTEXT, MIN_CONTEXT, MAX_CONTEXT),
                (int) fields.integer("gpu_layers", 0, 0, MAX_GPU_LAYERS));
    }
}
