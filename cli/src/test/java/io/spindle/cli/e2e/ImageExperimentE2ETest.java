package io.spindle.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.bridge.runtime.ImageMagick;
import io.spindle.bridge.runtime.MediaEval;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An image experiment whose gate fails, on a real dev node: {@code image.generate} jobs on {@code image-magick} version 1
 * (default style plasma) through the alias {@code images-prod}, replayed on version 2 of the same config, which differs in
 * one setting (model_ref, the default style: gradient), scored by SSIM ({@code eval.image_similarity}) against the
 * original images. The gate asks that SSIM drop by at most 0.05; it fails, and promoting the alias to version 2 on that
 * evidence is refused with 409 {@code gate_not_passed}.
 */
class ImageExperimentE2ETest {
    private static final int SOURCES = 8;
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration EXPERIMENT_TIMEOUT = Duration.ofSeconds(150);
    private static final String EXPERIMENT = "gradient-vs-plasma";

    @RegisterExtension
    final DevNode dev = DevNode.requiring(ImageMagick.BACKEND, MediaEval.BACKEND);

    @Test
    void aCandidateThatChangesTheImagesFailsItsGateAndIsNotPromoted() {
        SpindleApi api = dev.startApi();
        ExperimentSteps steps = new ExperimentSteps(api);

        steps.createAlias("images-prod", "image-magick");
        List<ObjectNode> prompts = IntStream.rangeClosed(1, SOURCES).mapToObj(i -> SpindleApi.object()
                .put("prompt", "a tiled floor, variant " + i).put("seed", i).put("width", 96).put("height", 96)).toList();
        for (JsonNode job : steps.runOnAlias("image.generate", "images-prod", prompts, "live", JOB_TIMEOUT)) {
            assertEquals(List.of("succeeded", "plasma"), List.of(job.get("status").asText(), job.get("outputs").get("style").asText()),
                    job::toString);
        }

        // Version 2 differs in one setting: the default style.
        JsonNode v2 = steps.call("PATCH", "/configs/image-magick", SpindleApi.object().put("model_ref", "gradient"), 200);
        assertEquals(2, v2.get("version").asInt(), v2::toString);

        steps.call("POST", "/experiments", ExperimentSteps.json("""
                {"id": "%s", "selection": {"alias": "images-prod", "type": "image.generate"},
                 "baseline": false,
                 "candidates": [{"name": "gradient", "config_id": "image-magick", "version": 2}],
                 "scorers": [{"name": "ssim", "type": "eval.image_similarity", "config_id": "eval-image", "metric": "ssim",
                              "direction": "higher",
                              "input": {"image": {"artifact_id": "${arm.artifact_ids[0]}"},
                                        "reference": {"artifact_id": "${original.artifact_ids[0]}"}}}],
                 "budget": {"max_jobs": 100, "max_concurrent": 4}}""".formatted(EXPERIMENT)), 201);
        steps.awaitCompleted(EXPERIMENT, EXPERIMENT_TIMEOUT);

        JsonNode report = steps.call("GET", "/experiments/" + EXPERIMENT + "/report", null, 200);
        System.out.println("ImageExperimentE2ETest report: " + report);
        JsonNode ssim = ExperimentSteps.comparison(report, "ssim", "original", "gradient");
        assertEquals(SOURCES, ssim.get("n").asInt(), report::toString);
        assertEquals(1.0, ssim.get("baseline_mean").asDouble(), 1e-6, "an original image is identical to itself");
        assertTrue(ssim.get("mean_delta_interval").get("upper").asDouble() < -0.05, ssim::toString);
        assertEquals(SOURCES, ssim.get("losses").asInt(), ssim::toString);

        steps.call("POST", "/gates", ExperimentSteps.json("""
                {"name": "images-unchanged", "min_pairs": %d,
                 "criteria": [{"kind": "non_inferiority", "metric": "ssim", "margin": 0.05}]}""".formatted(SOURCES)), 201);
        JsonNode verdict = steps.call("POST", "/experiments/" + EXPERIMENT + "/gate/images-unchanged", null, 200);
        assertEquals("fail", verdict.get("result").get("verdict").asText(), verdict::toString);

        JsonNode refused = steps.call("POST", "/aliases/images-prod/promote", ExperimentSteps.json("""
                {"config_id": "image-magick", "version": 2, "experiment": "%s", "gate": "images-unchanged", "actor": "e2e"}"""
                .formatted(EXPERIMENT)), 409);
        assertEquals("gate_not_passed", refused.get("error").get("code").asText(), refused::toString);
        JsonNode alias = steps.call("GET", "/aliases/images-prod/history", null, 200);
        assertEquals(List.of("created"), ExperimentSteps.kinds(alias), alias::toString);
        assertEquals(1, alias.get("target").get("version").asInt(), alias::toString);
    }
}
