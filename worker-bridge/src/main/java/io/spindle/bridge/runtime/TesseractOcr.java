package io.spindle.bridge.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.bridge.protocol.FrameCodec;
import io.spindle.bridge.sdk.JobRun;
import io.spindle.bridge.sdk.WorkerContext;
import io.spindle.bridge.sdk.WorkerFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * {@code image.ocr} with tesseract: the input {@code image} artifact's text as the artifact {@value #TEXT_FILE}
 * ({@code text/plain}) and in the outputs, with the mean confidence of its words (tesseract's TSV). Settings:
 * {@code language} (tesseract's codes joined by {@code +}, e.g. {@code eng+deu}; else the config's
 * {@code model_ref}, else {@value #DEFAULT_LANGUAGE}), {@code psm} (page segmentation mode, default
 * {@value #DEFAULT_PSM}).
 */
public final class TesseractOcr implements RuntimeShim {
    public static final String BACKEND = "tesseract";
    public static final String JOB_TYPE = "image.ocr";
    static final String ENGINE = "tesseract";
    static final String IMAGE = "image";
    static final String TEXT_FILE = "text.txt";
    static final String TEXT_MIME = "text/plain";
    static final String DEFAULT_LANGUAGE = "eng";
    static final long DEFAULT_PSM = 3;
    static final long MAX_PSM = 13;
    /** Characters of the text put in the outputs; the artifact has all of it. */
    static final int MAX_INLINE_CHARS = 64 * 1024;
    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);
    private static final String OUTPUT_BASE = "ocr";
    private static final String LANGUAGES = "[A-Za-z_]+(\\+[A-Za-z_]+)*";
    private static final String NO_LANGUAGE = "Failed loading language";
    /** TSV columns: level (5 is a word), conf, text. */
    private static final int WORD_LEVEL = 5;
    private static final int LEVEL_COLUMN = 0;
    private static final int CONF_COLUMN = 10;
    private static final int TEXT_COLUMN = 11;
    private static final double PERCENT_STARTED = 5;
    private static final double PERCENT_READ = 90;
    private static final double PERCENT_DONE = 100;

    /** The words tesseract found and their mean confidence (0–100), empty when it found none. */
    record Words(int count, OptionalDouble meanConfidence) {}

    @Override
    public String backend() {
        return BACKEND;
    }

    @Override
    public List<String> jobTypes() {
        return List.of(JOB_TYPE);
    }

    @Override
    public Optional<String> unavailableReason() {
        return Subprocess.missing(ENGINE, "tesseract-ocr tesseract-ocr-eng");
    }

    @Override
    public ObjectNode run(JobRun job, WorkerContext ctx) throws WorkerFailure {
        RunFields fields = new RunFields(job);
        InputArtifact image = fields.inputFile(IMAGE);
        ImageFormat format = ImageFormat.sniff(IMAGE, image);
        String fallback = job.modelRef() == null || job.modelRef().isBlank() ? DEFAULT_LANGUAGE : job.modelRef();
        String language = fields.string("language", fallback);
        if (!language.matches(LANGUAGES)) {
            throw Failures.unsupported("language", "'" + language + "' is not tesseract language codes such as eng or eng+deu");
        }
        long psm = fields.integer("psm", DEFAULT_PSM, 0, MAX_PSM);

        ctx.progress(PERCENT_STARTED, "reading the " + format.extension() + " artifact " + image.artifactId() + " (" + language + ")");
        List<String> argv = List.of(ENGINE, image.path().toString(), OUTPUT_BASE, "-l", language, "--psm", Long.toString(psm), "txt", "tsv");
        Subprocess.Exit exit = Subprocess.run(argv, job.scratchDir(), Deadlines.budget(job, DEFAULT_TIMEOUT), ctx);
        if (!exit.ok()) {
            if (exit.stderrTail().contains(NO_LANGUAGE)) {
                throw Failures.unsupported("language", "tesseract has no data for '" + language + "' (see `tesseract --list-langs`)");
            }
            throw WorkerFailure.transientFailure(Failures.RUNTIME_CRASHED, "tesseract exited " + exit.code() + ": " + exit.stderrTail());
        }
        ctx.progress(PERCENT_READ, "read; declaring " + TEXT_FILE);
        Path text = job.scratchDir().resolve(TEXT_FILE);
        String recognised = moveText(job.scratchDir().resolve(OUTPUT_BASE + ".txt"), text);
        Words words = words(job.scratchDir().resolve(OUTPUT_BASE + ".tsv"));

        ctx.artifact(TEXT_FILE, "text", TEXT_MIME);
        ObjectNode outputs = FrameCodec.mapper().createObjectNode();
        outputs.put("artifact", TEXT_FILE).put("mime", TEXT_MIME).put("bytes", recognised.getBytes(StandardCharsets.UTF_8).length);
        boolean truncated = recognised.length() > MAX_INLINE_CHARS;
        outputs.put("text", truncated ? recognised.substring(0, MAX_INLINE_CHARS) : recognised.strip());
        if (truncated) {
            outputs.put("text_truncated", true);
        }
        outputs.put("words", words.count());
        words.meanConfidence().ifPresent(mean -> outputs.put("mean_confidence", mean));
        outputs.put("language", language).put("backend", BACKEND);
        ctx.progress(PERCENT_DONE, words.count() + " words");
        return outputs;
    }

    private static String moveText(Path written, Path target) throws WorkerFailure {
        try {
            String text = Files.readString(written, StandardCharsets.UTF_8);
            Files.move(written, target, StandardCopyOption.REPLACE_EXISTING);
            return text;
        } catch (IOException e) {
            throw WorkerFailure.transientFailure(Failures.RUNTIME_CRASHED, "tesseract exited 0 but its text is unreadable: " + e.getMessage());
        }
    }

    /** The words of tesseract's TSV and their mean confidence; a missing TSV only loses the confidence. */
    static Words words(Path tsv) {
        List<String> lines;
        try {
            lines = Files.readAllLines(tsv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return new Words(0, OptionalDouble.empty());
        }
        double sum = 0;
        int count = 0;
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] cols = line.split("\t", -1);
            if (cols.length <= TEXT_COLUMN || !cols[LEVEL_COLUMN].equals(Integer.toString(WORD_LEVEL)) || cols[TEXT_COLUMN].isBlank()) {
                continue;
            }
            try {
                double conf = Double.parseDouble(cols[CONF_COLUMN]);
                if (conf >= 0) {
                    sum += conf;
                    count++;
                }
            } catch (NumberFormatException e) {
                // a row tesseract could not score counts for nothing
            }
        }
        return new Words(count, count == 0 ? OptionalDouble.empty() : OptionalDouble.of(sum / count));
    }
}
