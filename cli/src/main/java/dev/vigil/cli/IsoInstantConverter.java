package dev.vigil.cli;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import picocli.CommandLine;

/**
 * Binds an option's text to an {@link Instant}: ISO-8601 in UTC ({@code 2026-11-25T10:15:00Z}), the one spelling every
 * document and output of Vigil uses. Anything else is a usage error that shows an example; stateless.
 */
final class IsoInstantConverter implements CommandLine.ITypeConverter<Instant> {

    @Override
    public Instant convert(String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new CommandLine.TypeConversionException(
                    "'" + value + "' is not an ISO-8601 instant such as 2026-11-25T10:15:00Z");
        }
    }
}
