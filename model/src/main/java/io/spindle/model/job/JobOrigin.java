package io.spindle.model.job;

/**
 * Why a job exists when a client did not submit it: replay {@code repetition} (1, 2…) of {@code sourceJob} in arm
 * {@code arm} of experiment {@code experiment}, or a scorer's eval job over that replay ({@code scorer} set). Carried
 * by the job's first event and its view, so replays are ordinary jobs that still say where they come from.
 */
public record JobOrigin(String experiment, String arm, String sourceJob, int repetition, String scorer) {

    public static JobOrigin replay(String experiment, String arm, String sourceJob, int repetition) {
        return new JobOrigin(experiment, arm, sourceJob, repetition, null);
    }

    public static JobOrigin score(String experiment, String arm, String sourceJob, int repetition, String scorer) {
        return new JobOrigin(experiment, arm, sourceJob, repetition, scorer);
    }
}
