package io.spindle.bridge.runtime;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** The built-in shims by {@code runtime_backend} name: the one place a new shim is registered. */
public final class RuntimeBackends {
    private static final Map<String, Supplier<RuntimeShim>> SHIMS = new LinkedHashMap<>();

    static {
        SHIMS.put(EspeakTts.BACKEND, EspeakTts::new);
        SHIMS.put(FliteTts.BACKEND, FliteTts::new);
        SHIMS.put(FestivalTts.BACKEND, FestivalTts::new);
        SHIMS.put(OpenAiCompatible.BACKEND, OpenAiCompatible::new);
        SHIMS.put(ExternalHttp.BACKEND, ExternalHttp::new);
        SHIMS.put(LlamaCppText.BACKEND, LlamaCppText::new);
        SHIMS.put(MiniLmEmbeddings.BACKEND, MiniLmEmbeddings::new);
        SHIMS.put(FfmpegVideo.BACKEND, FfmpegVideo::new);
        SHIMS.put(ImageMagick.BACKEND, ImageMagick::new);
        SHIMS.put(TesseractOcr.BACKEND, TesseractOcr::new);
        SHIMS.put(MediaEval.BACKEND, MediaEval::new);
        SHIMS.put(PocketsphinxAsr.BACKEND, PocketsphinxAsr::new);
        SHIMS.put(AudioStats.BACKEND, AudioStats::new);
        SHIMS.put(BasicEval.BACKEND, BasicEval::new);
    }

    private RuntimeBackends() {}

    /** Every built-in backend name, in registration order. */
    public static Set<String> names() {
        return SHIMS.keySet();
    }

    public static boolean isBuiltin(String backend) {
        return SHIMS.containsKey(backend);
    }

    /** A new shim for {@code backend}, or empty when no built-in has that name. */
    public static Optional<RuntimeShim> create(String backend) {
        Supplier<RuntimeShim> factory = SHIMS.get(backend);
        return factory == null ? Optional.empty() : Optional.of(factory.get());
    }
}
