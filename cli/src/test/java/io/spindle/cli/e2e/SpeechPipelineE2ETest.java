package io.spindle.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.bridge.runtime.FliteTts;
import io.spindle.bridge.runtime.PocketsphinxAsr;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Speech out and back in on a real dev node with real worker processes: {@code audio.tts} (flite) → {@code
 * audio.transcribe} of its wav (pocketsphinx) → {@code eval.wer} of the transcript, and of the wav itself, against
 * the sentence spoken. The score is a {@code {"metric", "value", "details"}} artifact whose lineage, read through
 * {@code GET /artifacts/{id}}, leads back to the first job.
 */
class SpeechPipelineE2ETest {
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** flite's clear voice comes back from pocketsphinx word for word; leave room for one word in seven. */
    private static final String SENTENCE = "The weather today is sunny and warm.";
    private static final double MAX_WER = 0.15;
    private static final Set<String> SCORE_FIELDS = Set.of("metric", "value", "details");

    @RegisterExtension
    final DevNode dev = DevNode.requiring(FliteTts.BACKEND, PocketsphinxAsr.BACKEND);

    @Test
    void spokenTextIsHeardBackAndScoredWithLineageToTheFirstJob() throws Exception {
        SpindleApi api = dev.startApi();
        assertTrue(dev.printed().contains("runtime pocketsphinx: found, hosting config asr-pocketsphinx"), dev::printed);

        JsonNode speechJob = succeeded(api, SpindleApi.spec("audio.tts", "tts-flite", SpindleApi.object().put("text", SENTENCE)));
        String wav = onlyArtifact(speechJob);
        assertEquals("audio/wav", api.artifact(wav).get("mime").asText());

        ObjectNode transcribeInput = SpindleApi.object();
        transcribeInput.set("audio", reference(wav));
        JsonNode transcribeJob = succeeded(api, SpindleApi.spec("audio.transcribe", "asr-pocketsphinx", transcribeInput));
        String transcript = onlyArtifact(transcribeJob);
        assertEquals("text/plain", api.artifact(transcript).get("mime").asText());
        String heard = new String(api.artifactBytes(transcript).body(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(heard.contains("weather") && heard.contains("sunny"), "pocketsphinx heard: " + heard);

        ObjectNode ofTranscript = SpindleApi.object().put("reference", SENTENCE);
        ofTranscript.set("transcript", reference(transcript));
        JsonNode scoreJob = succeeded(api, SpindleApi.spec("eval.wer", "asr-pocketsphinx", ofTranscript));
        String score = onlyArtifact(scoreJob);
        JsonNode scored = scoreOf(api, score);
        assertTrue(scored.get("value").asDouble() <= MAX_WER, scored::toString);
        assertEquals("transcript", scored.get("details").get("hypothesis_source").asText(), scored::toString);
        assertEquals(scored.get("value").asDouble(), scoreJob.get("outputs").get("value").asDouble(), "the outputs carry the score");

        // The lineage, read through the API alone: score → transcript → wav, made by the first job.
        JsonNode scoreArtifact = api.artifact(score);
        assertEquals("score", scoreArtifact.get("kind").asText());
        assertEquals(scoreJob.get("id").asText(), scoreArtifact.get("job_id").asText());
        assertEquals(List.of(transcript), ids(scoreArtifact.get("parent_ids")));
        JsonNode transcriptArtifact = api.artifact(scoreArtifact.get("parent_ids").get(0).asText());
        assertEquals(transcribeJob.get("id").asText(), transcriptArtifact.get("job_id").asText());
        assertEquals(List.of(wav), ids(transcriptArtifact.get("parent_ids")));
        JsonNode wavArtifact = api.artifact(transcriptArtifact.get("parent_ids").get(0).asText());
        assertEquals(speechJob.get("id").asText(), wavArtifact.get("job_id").asText(), "the lineage ends at the first job");
        assertEquals(List.of(), ids(wavArtifact.get("parent_ids")));

        // Straight from the wav: eval.wer transcribes it itself, and names the wav as its parent.
        ObjectNode ofAudio = SpindleApi.object().put("reference", SENTENCE);
        ofAudio.set("audio", reference(wav));
        String audioScore = onlyArtifact(succeeded(api, SpindleApi.spec("eval.wer", "asr-pocketsphinx", ofAudio)));
        JsonNode fromAudio = scoreOf(api, audioScore);
        assertTrue(fromAudio.get("value").asDouble() <= MAX_WER, fromAudio::toString);
        assertEquals("audio", fromAudio.get("details").get("hypothesis_source").asText(), fromAudio::toString);
        assertEquals(heard.strip(), fromAudio.get("details").get("transcript").asText().strip(), "the same engine hears the same");
        assertEquals(List.of(wav), ids(api.artifact(audioScore).get("parent_ids")));
    }

    /** The score artifact's JSON, checked against the one schema of every eval job. */
    private static JsonNode scoreOf(SpindleApi api, String artifactId) throws IOException {
        assertEquals("application/json", api.artifact(artifactId).get("mime").asText());
        JsonNode score = JSON.readTree(api.artifactBytes(artifactId).body());
        List<String> fields = new ArrayList<>();
        score.fieldNames().forEachRemaining(fields::add);
        assertEquals(SCORE_FIELDS, Set.copyOf(fields), score::toString);
        assertEquals("wer", score.get("metric").asText());
        assertTrue(score.get("value").isNumber() && score.get("details").isObject(), score::toString);
        assertEquals(score.get("details").get("errors").asDouble() / score.get("details").get("reference_words").asDouble(),
                score.get("value").asDouble(), 1e-9, score::toString);
        return score;
    }

    private static JsonNode succeeded(SpindleApi api, ObjectNode spec) {
        JsonNode job = api.awaitTerminal(api.submit(spec).get("id").asText(), JOB_TIMEOUT);
        assertEquals("succeeded", job.get("status").asText(), job::toString);
        return job;
    }

    private static String onlyArtifact(JsonNode job) {
        assertEquals(1, job.get("artifact_ids").size(), job::toString);
        return job.get("artifact_ids").get(0).asText();
    }

    private static ObjectNode reference(String artifactId) {
        return JSON.createObjectNode().put("artifact_id", artifactId);
    }

    private static List<String> ids(JsonNode array) {
        List<String> ids = new ArrayList<>();
        if (array != null) {
            array.forEach(id -> ids.add(id.asText()));
        }
        return ids;
    }
}
