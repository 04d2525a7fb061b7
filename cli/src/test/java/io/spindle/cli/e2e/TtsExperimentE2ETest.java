package io.spindle.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.bridge.runtime.AudioStats;
import io.spindle.bridge.runtime.EspeakTts;
import io.spindle.bridge.runtime.FliteTts;
import io.spindle.bridge.runtime.PocketsphinxAsr;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * docs/experiments.md on a real dev node with real workers: {@code audio.tts} jobs served by the alias {@code tts-prod}
 * on espeak-ng (A) → an experiment replaying them on flite (B), scored by {@code eval.wer} through the audio artifact
 * (pocketsphinx transcribes it) and by duration ({@code eval.audio_stats}) → a report with intervals → a gate → the
 * alias promoted to B → new jobs on the alias run on B → rollback → they run on A again; the history shows each step.
 * The issue asks for 30 source jobs; {@value #SOURCES} keep the test near two minutes on a 2-core machine (the
 * experiment runs 10 replays and 40 eval jobs), and the gate asks for as many pairs.
 */
class TtsExperimentE2ETest {
    private static final int SOURCES = 10;
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration EXPERIMENT_TIMEOUT = Duration.ofSeconds(240);
    private static final String EXPERIMENT = "tts-flite-vs-espeak";
    private static final List<String> SENTENCES = List.of(
            "The weather today is sunny and warm.", "Please call me back when you get home.", "The train leaves at seven in the morning.",
            "She bought three apples and a loaf of bread.", "Turn left at the next traffic light.", "Our meeting starts in ten minutes.",
            "The children played in the park all afternoon.", "He forgot his umbrella at the office.",
            "We need more paper for the printer.", "The museum opens again on Monday.");

    @RegisterExtension
    final DevNode dev = DevNode.requiring(EspeakTts.BACKEND, FliteTts.BACKEND, PocketsphinxAsr.BACKEND, AudioStats.BACKEND);

    @Test
    void aNewVoiceIsComparedGatedPromotedAndRolledBack() {
        SpindleApi api = dev.startApi();
        ExperimentSteps steps = new ExperimentSteps(api);
        Instant start = Instant.now();

        // A serves the alias, and live traffic goes to the alias.
        steps.createAlias("tts-prod", "tts-espeak");
        List<JsonNode> live = steps.runOnAlias("audio.tts", "tts-prod",
                SENTENCES.stream().limit(SOURCES).map(s -> SpindleApi.object().put("text", s)).toList(), "live", JOB_TIMEOUT);
        for (JsonNode job : live) {
            assertEquals("succeeded", job.get("status").asText(), job::toString);
            assertEquals(List.of("tts-espeak", "tts-prod"), List.of(job.get("config_id").asText(), job.get("alias").asText()));
        }

        // The dry run says what the experiment will run: 10 replays on flite, 2 scorers on 20 outputs (original and flite).
        ObjectNode spec = ExperimentSteps.json("""
                {"id": "%s", "description": "flite's slt voice against espeak-ng",
                 "selection": {"alias": "tts-prod", "type": "audio.tts"},
                 "baseline": false,
                 "candidates": [{"name": "flite", "config_id": "tts-flite"}],
                 "scorers": [
                   {"name": "wer", "type": "eval.wer", "config_id": "asr-pocketsphinx", "metric": "wer", "direction": "lower",
                    "input": {"reference": "${source.input.text}", "audio": {"artifact_id": "${arm.artifact_ids[0]}"}}},
                   {"name": "duration", "type": "eval.audio_stats", "config_id": "eval-audio", "metric": "duration_s",
                    "direction": "lower", "input": {"audio": {"artifact_id": "${arm.artifact_ids[0]}"}}}],
                 "budget": {"max_jobs": 100, "max_concurrent": 4}}
                """.formatted(EXPERIMENT));
        JsonNode plan = steps.call("POST", "/experiments?dry_run=true", spec, 200);
        assertEquals(List.of(SOURCES, SOURCES + 2 * SOURCES * 2), List.of(plan.get("sources").asInt(), plan.get("planned_jobs").asInt()),
                plan::toString);

        steps.call("POST", "/experiments", spec, 201);
        JsonNode done = steps.awaitCompleted(EXPERIMENT, EXPERIMENT_TIMEOUT);
        assertEquals(List.of(SOURCES, 2 * SOURCES * 2), List.of(done.get("replays_done").asInt(), done.get("scores_done").asInt()), done::toString);

        // Replays are ordinary jobs on B that say where they come from; each source was replayed once.
        Set<String> sources = new HashSet<>();
        live.forEach(j -> sources.add(j.get("id").asText()));
        List<JsonNode> replays = api.jobsOf("tts-flite", start);
        assertEquals(SOURCES, replays.size());
        Set<String> replayed = new HashSet<>();
        for (JsonNode r : replays) {
            assertEquals(EXPERIMENT, r.get("origin").get("experiment").asText(), r::toString);
            assertEquals("flite", r.get("origin").get("arm").asText());
            assertEquals(1, r.get("priority").asInt(), "replays run below live traffic");
            replayed.add(r.get("replay_of").asText());
        }
        assertEquals(sources, replayed);

        JsonNode report = steps.call("GET", "/experiments/" + EXPERIMENT + "/report", null, 200);
        System.out.println("TtsExperimentE2ETest report: " + report);
        JsonNode wer = ExperimentSteps.comparison(report, "wer", "original", "flite");
        assertEquals(SOURCES, wer.get("n").asInt(), report::toString);
        JsonNode interval = wer.get("mean_delta_interval");
        assertTrue(interval.get("lower").asDouble() <= wer.get("mean_delta").asDouble()
                && wer.get("mean_delta").asDouble() <= interval.get("upper").asDouble(), wer::toString);
        assertTrue(wer.get("win_rate_interval").has("lower"), wer::toString);
        JsonNode duration = ExperimentSteps.comparison(report, "duration_s", "original", "flite");
        assertEquals(SOURCES, duration.get("n").asInt(), report::toString);
        for (JsonNode arm : report.get("arms")) {
            assertEquals(SOURCES, arm.get("latency").get("jobs").asInt(), arm::toString);
            assertEquals(0.0, arm.get("latency").get("error_rate").asDouble(), arm::toString);
        }

        // The gate: flite's WER no more than 0.25 worse than espeak's, on at least 10 pairs.
        steps.call("POST", "/gates", ExperimentSteps.json("""
                {"name": "tts-quality", "min_pairs": %d,
                 "criteria": [{"kind": "non_inferiority", "metric": "wer", "margin": 0.25}]}""".formatted(SOURCES)), 201);
        JsonNode verdict = steps.call("POST", "/experiments/" + EXPERIMENT + "/gate/tts-quality", null, 200);
        assertEquals("pass", verdict.get("result").get("verdict").asText(), verdict::toString);

        JsonNode promoted = steps.call("POST", "/aliases/tts-prod/promote", ExperimentSteps.json("""
                {"config_id": "tts-flite", "experiment": "%s", "gate": "tts-quality", "actor": "e2e", "reason": "gate passed"}"""
                .formatted(EXPERIMENT)), 200);
        assertEquals("tts-flite", promoted.get("target").get("config_id").asText(), promoted::toString);
        for (JsonNode job : steps.runOnAlias("audio.tts", "tts-prod", List.of(SpindleApi.object().put("text", "Now on flite.")), "after-promote",
                JOB_TIMEOUT)) {
            assertEquals(List.of("succeeded", "tts-flite", "flite"), List.of(job.get("status").asText(), job.get("config_id").asText(),
                    job.get("outputs").get("backend").asText()), job::toString);
        }

        JsonNode rolledBack = steps.call("POST", "/aliases/tts-prod/rollback", ExperimentSteps.json("""
                {"actor": "e2e", "reason": "listeners prefer the old voice"}"""), 200);
        assertEquals("tts-espeak", rolledBack.get("target").get("config_id").asText(), rolledBack::toString);
        for (JsonNode job : steps.runOnAlias("audio.tts", "tts-prod", List.of(SpindleApi.object().put("text", "Back on espeak.")),
                "after-rollback", JOB_TIMEOUT)) {
            assertEquals(List.of("succeeded", "tts-espeak"), List.of(job.get("status").asText(), job.get("config_id").asText()), job::toString);
        }

        JsonNode history = steps.call("GET", "/aliases/tts-prod/history", null, 200);
        assertEquals(List.of("created", "promoted", "rolled_back"), ExperimentSteps.kinds(history), history::toString);
        JsonNode promotion = history.get("history").get(1);
        assertEquals(List.of(EXPERIMENT, "tts-quality", "pass", "flite", "e2e"), List.of(promotion.get("evidence").get("experiment").asText(),
                promotion.get("evidence").get("gate").asText(), promotion.get("evidence").get("verdict").asText(),
                promotion.get("evidence").get("candidate_arm").asText(), promotion.get("actor").asText()), promotion::toString);
        // What served the alias between the promotion and the rollback.
        String between = history.get("history").get(1).get("at").asText();
        JsonNode then = steps.call("GET", "/aliases/tts-prod/history?at=" + between, null, 200);
        assertEquals("tts-flite", then.get("target_at").get("config_id").asText(), then::toString);
    }
}
