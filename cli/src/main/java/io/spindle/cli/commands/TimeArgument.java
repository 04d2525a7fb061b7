package io.spindle.cli.commands;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * A point in time for {@code --since}/{@code --until}: an ISO-8601 instant ({@code 2026-11-28T10:00:00Z}), a local
 * date-time or date (this machine's zone), or an age such as {@code 90s}, {@code 15m}, {@code 2h}, {@code 3d} (ago).
 */
public final class TimeArgument implements CommandLine.ITypeConverter<Instant> {
    private static final Pattern AGE = Pattern.compile("(\\d+)([smhd])");

    @Override
    public Instant convert(String value) {
        return parse(value, Instant.now(), ZoneId.systemDefault());
    }

    static Instant parse(String value, Instant now, ZoneId zone) {
        String v = value.strip();
        Matcher age = AGE.matcher(v.toLowerCase(Locale.ROOT));
        if (age.matches()) {
            long n = Long.parseLong(age.group(1));
            Duration d = switch (age.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return now.minus(d);
        }
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException ignored) {
            // not an instant with an offset; try the local forms
        }
        try {
            return LocalDateTime.parse(v).atZone(zone).toInstant();
        } catch (DateTimeParseException ignored) {
            // not a local date-time either
        }
        try {
            return LocalDate.parse(v).atStartOfDay(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw new CommandLine.TypeConversionException("'" + value
                    + "' is not a time: use 2026-11-28T10:00:00Z, 2026-11-28T10:00, 2026-11-28 or an age like 15m, 2h, 3d");
        }
    }
}
