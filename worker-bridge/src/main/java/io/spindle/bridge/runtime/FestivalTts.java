package io.spindle.bridge.runtime;

import io.spindle.bridge.sdk.WorkerFailure;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code audio.tts} with festival's {@code text2wave}: a voice is one festival lists ({@code (voice.list)}), by
 * default the HTS voice {@value #DEFAULT_VOICE} (Debian: festvox-us-slt-hts). The voice is selected by a Scheme
 * expression, so only a listed name ever reaches it; festival exits 0 even when a voice fails to load, which is
 * why the name is checked first. The rate sets both HTS's speech speed and the duration stretch of other voices.
 */
public final class FestivalTts extends LocalTts {
    public static final String BACKEND = "festival";
    static final String ENGINE = "text2wave";
    public static final String DEFAULT_VOICE = "cmu_us_slt_arctic_hts";
    /** What a voice name may be made of: enough for every festvox voice, nothing Scheme would read as code. */
    private static final Pattern VOICE_NAME = Pattern.compile("[a-z0-9_]+");
    private final EngineVoices voices = new EngineVoices(List.of("festival", "-b", "(print (voice.list))"), FestivalTts::parseVoices);

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
        return DEFAULT_VOICE;
    }

    @Override
    List<String> command(String voice, long rateWpm, Path text, Path wav) {
        double speed = (double) rateWpm / DEFAULT_RATE_WPM;
        String htsSpeed = String.format(Locale.ROOT, "(set! hts_engine_params (append hts_engine_params (list (list \"-r\" %.3f))))", speed);
        String stretch = String.format(Locale.ROOT, "(Parameter.set 'Duration_Stretch %.3f)", 1 / speed);
        return List.of(ENGINE, "-eval", "(voice_" + voice + ")", "-eval", htsSpeed, "-eval", stretch, "-o", wav.toString(), text.toString());
    }

    @Override
    public Optional<String> unavailableReason() {
        return Subprocess.missing(ENGINE, "festival festvox-us-slt-hts");
    }

    @Override
    void checkVoice(String voice) throws WorkerFailure {
        if (!VOICE_NAME.matcher(voice).matches()) {
            throw Failures.unsupported("voice", "'" + voice + "' is not a festival voice name (letters, digits and _)");
        }
        voices.check(voice);
    }

    /** {@code (print (voice.list))} prints {@code (cmu_us_slt_arctic_hts kal_diphone)}. */
    private static Set<String> parseVoices(String listing) {
        return Arrays.stream(listing.replace("(", " ").replace(")", " ").trim().split("\\s+"))
                .filter(name -> VOICE_NAME.matcher(name).matches()).collect(Collectors.toSet());
    }
}
