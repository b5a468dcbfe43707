package dev.vigil.core.repository;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;

/**
 * The one JSON configuration of everything Vigil stores (repository documents, alert records, local state), set up
 * once: fields a reader does not know are ignored, so a newer Vigil's documents stay readable by an older one (as the
 * upgrade notes promise); {@code Optional} fields are written as their value or null. Never reconfigured after this
 * class is initialised; thread safe.
 */
public final class RepositoryJson {

    /** Reads and writes compact JSON (one line: alert streams, state files). */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new Jdk8Module())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** Writes indented JSON, for documents people open (manifests, drill records, reports, acknowledgements). */
    public static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();

    private RepositoryJson() {}
}
