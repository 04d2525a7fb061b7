package io.spindle.bridge.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.bridge.protocol.FrameCodec;
import io.spindle.bridge.sdk.JobRun;
import io.spindle.bridge.sdk.WorkerContext;
import io.spindle.bridge.sdk.WorkerFailure;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

/**
 * {@code eval.wer}: the word error rate ({@link WordErrorRate}) of a hypothesis against the input's {@code reference}
 * text. The hypothesis is exactly one of {@code hypothesis} (text), {@code transcript} (a text artifact, e.g. an
 * {@code audio.transcribe} result) or {@code audio} (an audio artifact, transcribed first by the serving shim).
 * The score's details count the substitutions, deletions and insertions.
 */
final class WerEval {
    static final String JOB_TYPE = "eval.wer";
    static final String METRIC = "wer";
    static final int MAX_TEXT_CHARS = 200_000;
    /** A transcript artifact larger than this is not a transcript. */
    static final long MAX_TRANSCRIPT_BYTES = 4L * 1024 * 1024;
    private static final List<String> SOURCES = List.of("hypothesis", "transcript", "audio");

    /** Turns an audio artifact into text: the shim serving {@code eval.wer} brings its recognizer. */
    @FunctionalInterface
    interface Transcriber {
        PocketsphinxAsr.Transcription transcribe(InputArtifact audio, JobRun job, WorkerContext ctx) throws WorkerFailure;
    }

    private WerEval() {}

    static ObjectNode run(JobRun job, WorkerContext ctx, Transcriber transcriber) throws WorkerFailure {
        RunFields fields = new RunFields(job);
        String reference = fields.requiredText("reference", MAX_TEXT_CHARS);
        if (WordErrorRate.words(reference).isEmpty()) {
            throw Failures.invalidInput("reference", "has no words");
        }
        String source = source(job.input());
        ObjectNode details = FrameCodec.mapper().createObjectNode();
        details.put("hypothesis_source", source);
        String hypothesis = switch (source) {
            case "hypothesis" -> hypothesis(job.input().get("hypothesis"));
            case "transcript" -> text(fields.inputFile("transcript"));
            default -> {
                PocketsphinxAsr.Transcription heard = transcriber.transcribe(fields.inputFile("audio"), job, ctx);
                details.put("transcript", heard.text());
                details.put("audio_duration_ms", heard.durationMs());
                yield heard.text();
            }
        };
        WordErrorRate wer = WordErrorRate.of(reference, hypothesis);
        details.put("reference_words", wer.referenceWords());
        details.put("hypothesis_words", wer.hypothesisWords());
        details.put("substitutions", wer.substitutions());
        details.put("deletions", wer.deletions());
        details.put("insertions", wer.insertions());
        details.put("errors", wer.errors());
        return ScoreArtifact.deliver(METRIC, wer.value(), details, job, ctx);
    }

    /** Which of the hypothesis fields the input gives: exactly one. */
    private static String source(JsonNode input) throws WorkerFailure {
        List<String> given = SOURCES.stream().filter(f -> input.hasNonNull(f)).toList();
        if (given.size() != 1) {
            throw Failures.invalidInput(String.join("|", SOURCES), "give exactly one of hypothesis (text), transcript (a text"
                    + " artifact) or audio (an audio artifact)" + (given.isEmpty() ? "" : ", not " + String.join(" and ", given)));
        }
        return given.get(0);
    }

    /** The hypothesis as text; an empty one is allowed (nothing was heard: every reference word is deleted). */
    private static String hypothesis(JsonNode value) throws WorkerFailure {
        if (!value.isTextual()) {
            throw Failures.invalidInput("hypothesis", "must be a string");
        }
        if (value.asText().length() > MAX_TEXT_CHARS) {
            throw Failures.invalidInput("hypothesis", "longer than " + MAX_TEXT_CHARS + " characters");
        }
        return value.asText();
    }

    /** A text artifact's content as UTF-8; anything else is the input's fault. */
    private static String text(InputArtifact transcript) throws WorkerFailure {
        try {
            long size = Files.size(transcript.path());
            if (size > MAX_TRANSCRIPT_BYTES) {
                throw Failures.invalidInput("transcript", "artifact " + transcript.artifactId() + " is " + size
                        + " bytes, more than a transcript's " + MAX_TRANSCRIPT_BYTES);
            }
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(transcript.path()))).toString();
        } catch (CharacterCodingException e) {
            throw Failures.invalidInput("transcript", "artifact " + transcript.artifactId() + " is not UTF-8 text");
        } catch (IOException e) {
            throw WorkerFailure.transientFailure(Failures.IO_ERROR, "cannot read " + transcript.path() + ": " + e.getMessage());
        }
    }
}
