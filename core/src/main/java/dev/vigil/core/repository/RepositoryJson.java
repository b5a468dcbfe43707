package dev.vigil.core.repository;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one JSON configuration of everything Vigil stores or prints as JSON (repository documents, alert records, local
 * state, {@code --json} output), set up once: fields a reader does not know are ignored, so a newer Vigil's documents
 * stay readable by an older one (as the upgrade notes promise); {@code Optional} fields are written as their value or
 * null; {@code java.time} values as ISO-8601 text. Never reconfigured after this
 * class is initialised; thread safe.
 */
public final class RepositoryJson {

    /** Reads and writes compact JSON (one line: alert streams, state files). */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new Jdk8Module())
            .addModule(new JavaTimeModule())
            // Times as ISO-8601 text ("2026-12-06T10:00:00Z"), as every document has always written them.
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** Writes indented JSON, for documents people open (manifests, drill records, reports, acknowledgements). */
    public static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();

    private RepositoryJson() {}
}
