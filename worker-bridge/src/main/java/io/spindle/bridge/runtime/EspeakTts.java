package io.spindle.bridge.runtime;

import io.spindle.bridge.sdk.WorkerFailure;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** {@code audio.tts} with espeak-ng: voices are espeak-ng's language codes and variants ({@code en}, {@code en-us+f3}…). */
public final class EspeakTts extends LocalTts {
    public static final String BACKEND = "espeak";
    static final String ENGINE = "espeak-ng";
    /** Columns of {@code espeak-ng --voices}: priority, language, age/gender, voice name, file, other languages. */
    private static final int LANGUAGE_COLUMN = 1;
    private static final int NAME_COLUMN = 3;
    private static final int FILE_COLUMN = 4;
    /** Separates a voice from its variant, as in {@code en-us+f3}. */
    private static final char VARIANT_SEPARATOR = '+';
    private final EngineVoices voices = new EngineVoices(List.of(ENGINE, "--voices"), EspeakTts::parseVoices);
    /** What espeak-ng prints (exiting 1) for a voice it does not have. */
    private static final String NO_SUCH_VOICE = "voice does not exist";

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
        return "en";
    }

    @Override
    List<String> command(String voice, long rateWpm, Path text, Path wav) {
        return List.of(ENGINE, "-v", voice, "-s", Long.toString(rateWpm), "-w", wav.toString(), "-f", text.toString());
    }

    /** The voice before any {@code +variant} must be a language, voice name or voice file espeak-ng lists. */
    @Override
    void checkVoice(String voice) throws WorkerFailure {
        int variant = voice.indexOf(VARIANT_SEPARATOR);
        voices.check(variant < 0 ? voice : voice.substring(0, variant));
    }

    private static Set<String> parseVoices(String listing) {
        Set<String> names = new HashSet<>();
        listing.lines().skip(1).map(String::trim).map(line -> line.split("\\s+")).filter(cols -> cols.length > FILE_COLUMN)
                .forEach(cols -> {
                    names.add(cols[LANGUAGE_COLUMN]);
                    names.add(cols[NAME_COLUMN]);
                    names.add(cols[FILE_COLUMN]);
                    names.add(cols[FILE_COLUMN].substring(cols[FILE_COLUMN].lastIndexOf('/') + 1));
                });
        return names;
    }

    @Override
    WorkerFailure failure(Subprocess.Exit exit) {
        if (exit.stderrTail().contains(NO_SUCH_VOICE)) {
            return Failures.unsupported("voice", "espeak-ng has no such voice (see `espeak-ng --voices`)");
        }
        return super.failure(exit);
    }
}
