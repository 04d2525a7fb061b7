package io.spindle.bridge.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.bridge.sdk.JobRun;
import io.spindle.bridge.sdk.WorkerContext;
import io.spindle.bridge.sdk.WorkerFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code image.generate} ({@link ImageGenerate}) and {@code image.transform} ({@link ImageTransform}) with
 * ImageMagick 6, every call under {@link MagickCommand}'s resource policy. The image is the artifact
 * {@code image.<format>} (kind {@value ImageFormat#ARTIFACT_KIND}).
 */
public final class ImageMagick implements RuntimeShim {
    public static final String BACKEND = "imagemagick";
    public static final List<String> JOB_TYPES = List.of(ImageGenerate.JOB_TYPE, ImageTransform.JOB_TYPE);
    private static final double PERCENT_STARTED = 5;
    private static final double PERCENT_READ = 20;
    private static final double PERCENT_DRAWN = 90;
    private static final double PERCENT_DONE = 100;

    @Override
    public String backend() {
        return BACKEND;
    }

    @Override
    public List<String> jobTypes() {
        return JOB_TYPES;
    }

    @Override
    public Optional<String> unavailableReason() {
        return Files.isExecutable(Path.of(MagickCommand.CONVERT)) ? Optional.empty()
                : Optional.of(MagickCommand.CONVERT + " is missing (Debian: apt-get install imagemagick)");
    }

    @Override
    public ObjectNode run(JobRun job, WorkerContext ctx) throws WorkerFailure {
        return job.type().equals(ImageTransform.JOB_TYPE) ? transform(job, ctx) : generate(job, ctx);
    }

    private ObjectNode generate(JobRun job, WorkerContext ctx) throws WorkerFailure {
        ImageGenerate plan = ImageGenerate.of(job);
        Path file = job.scratchDir().resolve(plan.format().fileName());
        ctx.progress(PERCENT_STARTED, "drawing a " + plan.width() + "x" + plan.height() + " " + plan.style().id() + " image");
        MagickCommand.convert(plan.arguments(file), job, ctx);
        ctx.progress(PERCENT_DRAWN, "drawn; declaring " + file.getFileName());
        ObjectNode outputs = ImageArtifact.declare(file, plan.format(), ctx);
        outputs.put("width", plan.width()).put("height", plan.height())
                .put("style", plan.style().id()).put("seed", plan.seed()).put("backend", BACKEND);
        ctx.progress(PERCENT_DONE, "wrote " + file.getFileName());
        return outputs;
    }

    private ObjectNode transform(JobRun job, WorkerContext ctx) throws WorkerFailure {
        InputArtifact image = new RunFields(job).inputFile(ImageTransform.IMAGE);
        ImageFormat inputFormat = ImageFormat.sniff(ImageTransform.IMAGE, image);
        ctx.progress(PERCENT_STARTED, "reading " + inputFormat.extension() + " artifact " + image.artifactId());
        MagickCommand.Size size = MagickCommand.inputSize(ImageTransform.IMAGE, image.path(), inputFormat, job, ctx);
        ImageTransform plan = ImageTransform.of(job, size, inputFormat);
        Path file = job.scratchDir().resolve(plan.format().fileName());
        if (file.equals(image.path())) {
            file = job.scratchDir().resolve("transformed." + plan.format().extension());
        }
        ctx.progress(PERCENT_READ, "transforming a " + size + " image: " + String.join(", ", plan.steps()));
        MagickCommand.convert(plan.arguments(image.path(), inputFormat, file), job, ctx);
        MagickCommand.Size result = MagickCommand.outputSize(file, plan.format(), job, ctx);
        ObjectNode outputs = ImageArtifact.declare(file, plan.format(), ctx);
        outputs.put("width", result.width()).put("height", result.height()).put("backend", BACKEND);
        outputs.putArray("steps").addAll(plan.steps().stream().map(outputs::textNode).toList());
        ctx.progress(PERCENT_DONE, "wrote " + file.getFileName());
        return outputs;
    }
}
