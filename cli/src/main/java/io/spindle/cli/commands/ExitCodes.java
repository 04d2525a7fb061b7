package io.spindle.cli.commands;

import io.spindle.model.job.JobStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;

/** What {@code spindle}'s client commands exit with; listed in every client command's {@code --help}. */
public final class ExitCodes {
    /** Succeeded, or the request was answered. */
    public static final int OK = 0;
    /** A bug or an unexpected local failure (a file that cannot be written…). */
    public static final int SOFTWARE = 1;
    /** The command line is wrong (unknown option, missing argument, invalid JSON…). */
    public static final int USAGE = 2;
    /** No answer from the server: refused, unknown host, timed out. */
    public static final int UNREACHABLE = 3;
    /** The API answered an error (4xx/5xx) other than not found. */
    public static final int API_ERROR = 4;
    /** The job, config or artifact does not exist (404). */
    public static final int NOT_FOUND = 5;
    /** Downloaded bytes did not match the artifact's SHA-256. */
    public static final int CHECKSUM_MISMATCH = 6;
    /** The job ended failed. */
    public static final int JOB_FAILED = 10;
    /** The job ended canceled. */
    public static final int JOB_CANCELED = 11;
    /** The job ended dead-lettered (attempts exhausted). */
    public static final int JOB_DEAD_LETTERED = 12;

    private ExitCodes() {}

    /** The exit code for a job in {@code status}: its outcome when terminal, OK while it is still on its way. */
    public static int forStatus(JobStatus status) {
        if (status == JobStatus.FAILED) {
            return JOB_FAILED;
        } else if (status == JobStatus.CANCELED) {
            return JOB_CANCELED;
        } else if (status == JobStatus.DEAD_LETTERED) {
            return JOB_DEAD_LETTERED;
        }
        return OK;
    }

    /** The list shown under "Exit codes:" in the help. */
    public static Map<String, String> help() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(Integer.toString(OK), "ok; the job succeeded (submit --wait, wait, get)");
        m.put(Integer.toString(SOFTWARE), "unexpected local failure");
        m.put(Integer.toString(USAGE), "usage error");
        m.put(Integer.toString(UNREACHABLE), "server unreachable");
        m.put(Integer.toString(API_ERROR), "API error (4xx/5xx other than 404)");
        m.put(Integer.toString(NOT_FOUND), "not found (404)");
        m.put(Integer.toString(CHECKSUM_MISMATCH), "downloaded bytes failed the sha256 check");
        m.put(Integer.toString(JOB_FAILED), "the job failed");
        m.put(Integer.toString(JOB_CANCELED), "the job was canceled");
        m.put(Integer.toString(JOB_DEAD_LETTERED), "the job was dead-lettered");
        return m;
    }

    /** Adds the exit-code list to the help of {@code root} and of every client command under it. */
    public static CommandLine describe(CommandLine root) {
        root.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(help());
        for (CommandLine sub : root.getSubcommands().values()) {
            if (sub.getCommand().getClass().getPackageName().equals(ExitCodes.class.getPackageName())) {
                describe(sub);
            }
        }
        return root;
    }
}
