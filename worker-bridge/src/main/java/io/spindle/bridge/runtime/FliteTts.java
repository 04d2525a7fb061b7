package io.spindle.bridge.runtime;

import io.spindle.bridge.sdk.WorkerFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code audio.tts} with flite: a voice is one compiled into flite ({@code flite -lv}: kal, slt, rms, awb…) or
 * the path of a {@code .flitevox} file. flite silently falls back to its default for an unknown voice, so the
 * shim checks the name itself. The rate becomes flite's {@code duration_stretch}.
 */
public final class FliteTts extends LocalTts {
    public static final String BACKEND = "flite";
    static final String ENGINE = "flite";
    private static final String VOICE_FILE_SUFFIX = ".flitevox";
    private static final String VOICE_LIST_PREFIX = "Voices available:";
    private final EngineVoices voices = new EngineVoices(List.of(ENGINE, "-lv"), FliteTts::parseVoices);

    @Override
    public String backend() {
        return BACKEND;
    }

    @Override
    String engine() {
        return ENGINE;
    }

    @Override
    String defaultVoice() {
        return "slt";
    }

    @Override
    List<String> command(String voice, long rateWpm, Path text, Path wav) {
        String stretch = String.format(Locale.ROOT, "%.3f", (double) DEFAULT_RATE_WPM / rateWpm);
        return List.of(ENGINE, "-voice", voice, "--setf", "duration_stretch=" + stretch, "-f", text.toString(), "-o", wav.toString());
    }

    @Override
    void checkVoice(String voice) throws WorkerFailure {
        if (voice.endsWith(VOICE_FILE_SUFFIX)) {
            if (!Files.isReadable(Path.of(voice))) {
                throw Failures.unsupported("voice", "no readable voice file " + voice + " on this node");
            }
            return;
        }
        voices.check(voice);
    }

    /** {@code flite -lv} prints {@code Voices available: kal awb_time kal16 awb rms slt}. */
    private static Set<String> parseVoices(String listing) {
        int start = listing.indexOf(VOICE_LIST_PREFIX);
        String names = start < 0 ? listing : listing.substring(start + VOICE_LIST_PREFIX.length());
        return Arrays.stream(names.trim().split("\\s+")).filter(s -> !s.isBlank()).collect(Collectors.toSet());
    }
}
