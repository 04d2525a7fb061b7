package io.spindle.cli.dev;

import io.spindle.bridge.runtime.AudioStats;
import io.spindle.bridge.runtime.BasicEval;
import io.spindle.bridge.runtime.EspeakTts;
import io.spindle.bridge.runtime.FestivalTts;
import io.spindle.bridge.runtime.FfmpegVideo;
import io.spindle.bridge.runtime.FliteTts;
import io.spindle.bridge.runtime.ImageMagick;
import io.spindle.bridge.runtime.LlamaCppText;
import io.spindle.bridge.runtime.MediaEval;
import io.spindle.bridge.runtime.MiniLmEmbeddings;
import io.spindle.bridge.runtime.PocketsphinxAsr;
import io.spindle.bridge.runtime.RuntimeBackends;
import io.spindle.bridge.runtime.RuntimeShim;
import io.spindle.bridge.runtime.TesseractOcr;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The built-in runtime shims {@code spindle dev} hosts when this machine has their engines, each with a seeded
 * config: {@code tts-espeak}, {@code tts-flite} and {@code tts-festival} speak {@code audio.tts}; {@code asr-pocketsphinx}
 * runs {@code audio.transcribe} and {@code eval.wer}, {@code eval-audio} runs {@code eval.audio_stats}; {@code embed-minilm}
 * embeds and compares texts (its model ships in the jar, so it is always hosted); {@code video-ffmpeg} runs the
 * {@code video.*} jobs; {@code image-magick} draws and transforms images, {@code ocr-tesseract} reads them,
 * {@code eval-image} scores their similarity. An engine that is missing is skipped
 * with the reason, which the command prints, so a newcomer learns what to install.
 */
public final class DevRuntimes {
    /** Worker processes per runtime config: one engine run at a time is plenty on a laptop. */
    static final int CONCURRENCY = 1;

    /** The environment variable naming the GGUF file {@code text-llamacpp} loads. */
    public static final String GGUF_ENV = "SPINDLE_DEV_GGUF";
    /** The first bytes of every GGUF file. */
    private static final byte[] GGUF_MAGIC = "GGUF".getBytes(StandardCharsets.US_ASCII);

    /** A dev config served by a built-in backend; {@code modelRef} null when the backend needs none. */
    public record Offer(String configId, String backend, String name, List<String> jobTypes, String modelRef) {}

    /** What was found on this machine: the offers to host, and the skipped ones with why. */
    public record Detection(List<Offer> hosted, Map<Offer, String> skipped) {
        public static Detection none() {
            return new Detection(List.of(), Map.of());
        }

        /** One line per runtime for the command's start-up output. */
        public List<String> describe() {
            List<String> lines = new ArrayList<>();
            hosted.forEach(o -> lines.add("runtime " + o.backend() + ": found, hosting config " + o.configId() + " (" + String.join(", ", o.jobTypes()) + ")"));
            skipped.forEach((o, why) -> lines.add("runtime " + o.backend() + ": skipped config " + o.configId() + ": " + why));
            return lines;
        }
    }

    static final List<Offer> OFFERS = List.of(
            new Offer("tts-espeak", EspeakTts.BACKEND, "Text to speech (espeak-ng)", List.of("audio.tts"), "en"),
            new Offer("tts-flite", FliteTts.BACKEND, "Text to speech (flite)", List.of("audio.tts"), "slt"),
            new Offer("tts-festival", FestivalTts.BACKEND, "Text to speech (festival, HTS voice)", List.of("audio.tts"), FestivalTts.DEFAULT_VOICE),
            new Offer("asr-pocketsphinx", PocketsphinxAsr.BACKEND, "Speech to text and word error rate (pocketsphinx)",
                    List.of("audio.transcribe", "eval.wer"), "en-us"),
            new Offer("eval-audio", AudioStats.BACKEND, "Audio statistics: duration, loudness, peak, silence (ffmpeg)",
                    List.of("eval.audio_stats"), "ffmpeg"),
            new Offer("embed-minilm", MiniLmEmbeddings.BACKEND, "Sentence embeddings (all-MiniLM-L6-v2)",
                    List.of(MiniLmEmbeddings.EMBED, MiniLmEmbeddings.SIMILARITY), MiniLmEmbeddings.MODEL),
            new Offer("video-ffmpeg", FfmpegVideo.BACKEND, "Video (ffmpeg)", new FfmpegVideo().jobTypes(), "ffmpeg"),
            new Offer("image-magick", ImageMagick.BACKEND, "Images: procedural and transformed (ImageMagick)", ImageMagick.JOB_TYPES, "plasma"),
            new Offer("ocr-tesseract", TesseractOcr.BACKEND, "Text in images (tesseract)", List.of(TesseractOcr.JOB_TYPE), "eng"),
            new Offer("eval-image", MediaEval.BACKEND, "Image similarity, SSIM and PSNR (ffmpeg)", List.of(MediaEval.IMAGE_SIMILARITY), "ssim"),
            new Offer("eval-basic", BasicEval.BACKEND, "Scores of plain values: duration deviation, exact match",
                    new BasicEval().jobTypes(), null));

    /** Text generation, with the GGUF file of {@value #GGUF_ENV} as its model_ref. */
    static Offer textOffer(String gguf) {
        return new Offer("text-llamacpp", LlamaCppText.BACKEND, "Text generation and chat (llama.cpp)", new LlamaCppText().jobTypes(), gguf);
    }

    private DevRuntimes() {}

    /** Checks each offer's engine on this machine, and {@value #GGUF_ENV} in {@code env} (System::getenv). */
    public static Detection detect(Function<String, String> env) {
        return detect(env, backend -> RuntimeBackends.create(backend).flatMap(RuntimeShim::unavailableReason));
    }

    /** Checks each offer with {@code unavailable} (backend → why it cannot run, empty when it can). */
    static Detection detect(Function<String, String> env, Function<String, Optional<String>> unavailable) {
        List<Offer> hosted = new ArrayList<>();
        Map<Offer, String> skipped = new LinkedHashMap<>();
        for (Offer offer : OFFERS) {
            unavailable.apply(offer.backend()).ifPresentOrElse(why -> skipped.put(offer, why), () -> hosted.add(offer));
        }
        String gguf = env.apply(GGUF_ENV);
        Path model = gguf == null || gguf.isBlank() ? null : Path.of(gguf).toAbsolutePath().normalize();
        Offer text = textOffer(model == null ? null : model.toString());
        ggufProblem(model).or(() -> unavailable.apply(text.backend()))
                .ifPresentOrElse(why -> skipped.put(text, why), () -> hosted.add(text));
        return new Detection(List.copyOf(hosted), skipped);
    }

    /** Why {@code model} cannot be text-llamacpp's model, checked here so the start-up output says it at once. */
    private static Optional<String> ggufProblem(Path model) {
        if (model == null) {
            return Optional.of("no model; set " + GGUF_ENV + " to a GGUF file to host it");
        }
        if (!Files.isRegularFile(model)) {
            return Optional.of(GGUF_ENV + "=" + model + " is not a file");
        }
        try (InputStream in = Files.newInputStream(model)) {
            return Arrays.equals(in.readNBytes(GGUF_MAGIC.length), GGUF_MAGIC) ? Optional.empty()
                    : Optional.of(GGUF_ENV + "=" + model + " is not a GGUF file");
        } catch (IOException e) {
            return Optional.of(GGUF_ENV + "=" + model + " cannot be read: " + e.getMessage());
        }
    }
}
