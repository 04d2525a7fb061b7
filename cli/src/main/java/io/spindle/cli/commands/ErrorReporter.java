package io.spindle.cli.commands;

import io.spindle.cli.client.ApiException;
import io.spindle.cli.client.ApiFormatException;
import io.spindle.cli.client.ChecksumMismatchException;
import io.spindle.cli.client.ServerUnreachableException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;

/**
 * Turns every failure into one readable line on stderr ({@code spindle: config 'x' not found (config_not_found)})
 * and its exit code ({@link ExitCodes}). Stack traces only when {@value #DEBUG_ENV} is set: they help us, not users.
 */
public final class ErrorReporter implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
    public static final String DEBUG_ENV = "SPINDLE_DEBUG";

    private final boolean debug;

    public ErrorReporter(boolean debug) {
        this.debug = debug;
    }

    /** Installs the handlers on {@code root} (picocli hands them down to every subcommand). */
    public static CommandLine install(CommandLine root) {
        ErrorReporter reporter = new ErrorReporter(System.getenv(DEBUG_ENV) != null);
        root.setExecutionExceptionHandler(reporter);
        root.setParameterExceptionHandler(reporter);
        return root;
    }

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        String help = cmd.getCommandSpec().qualifiedName() + " --help";
        print(cmd.getErr(), oneLine(ex.getMessage()) + " (see '" + help + "')", ex);
        return ExitCodes.USAGE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        if (ex instanceof ApiException api) {
            print(err, oneLine(api.getMessage()) + " (" + api.code() + ")", ex);
            return api.isNotFound() ? ExitCodes.NOT_FOUND : ExitCodes.API_ERROR;
        } else if (ex instanceof ServerUnreachableException) {
            print(err, oneLine(ex.getMessage()), ex);
            return ExitCodes.UNREACHABLE;
        } else if (ex instanceof ChecksumMismatchException) {
            print(err, oneLine(ex.getMessage()), ex);
            return ExitCodes.CHECKSUM_MISMATCH;
        } else if (ex instanceof ApiFormatException) {
            print(err, oneLine(ex.getMessage()), ex);
            return ExitCodes.API_ERROR;
        } else if (ex instanceof UncheckedIOException || ex instanceof IOException) {
            print(err, oneLine(ex.getMessage()), ex);
            return ExitCodes.SOFTWARE;
        }
        print(err, "unexpected error: " + oneLine(String.valueOf(ex)) + " (set " + DEBUG_ENV + "=1 for details)", ex);
        return ExitCodes.SOFTWARE;
    }

    private void print(PrintWriter err, String line, Exception ex) {
        err.println("spindle: " + line);
        if (debug) {
            ex.printStackTrace(err);
        }
        err.flush();
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
