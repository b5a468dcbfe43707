package dev.vigil.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every setting the loader reads is documented in docs/operations.md's configuration reference, and every documented
 * setting is one the loader reads: a setting added in one place and not the other fails here. The loader is asked
 * what it knows by giving each section an unknown key (its answer lists the known ones).
 */
class ConfigDocumentationTest {

    private static final Path OPERATIONS = Path.of("..", "docs", "operations.md");
    private static final Set<String> CREDENTIAL_KEYS =
            Set.of("access-key", "access-key-id", "secret-access-key", "secret-key", "session-token", "password");
    private static final Pattern SECTION = Pattern.compile("^### `([a-z-]+)`");
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9.-]+)` \\|");

    @Test
    void everyKeyTheLoaderReadsIsDocumentedAndEveryDocumentedKeyIsRead() throws Exception {
        Map<String, Set<String>> documented = documented();
        assertThat(documented.keySet())
                .as("sections documented")
                .contains(
                        "repository",
                        "repository.s3",
                        "node",
                        "schedule",
                        "archive",
                        "verify",
                        "scrub",
                        "reference",
                        "retention",
                        "report",
                        "daemon",
                        "fleet",
                        "encryption");

        assertThat(known("")).as("top-level keys").isEqualTo(topLevel());
        for (Map.Entry<String, Set<String>> section : documented.entrySet()) {
            Set<String> known = new TreeSet<>(known(section.getKey()));
            known.removeAll(CREDENTIAL_KEYS);
            assertThat(section.getValue())
                    .as("documented keys of %s against the loader's", section.getKey())
                    .isEqualTo(known);
        }
        assertThat(Files.readString(OPERATIONS))
                .as("refused credential keys are documented as refused")
                .contains("Credentials (`access-key`, `secret-key`, …) are refused in this file")
                .contains("a `password` key, or `password=` in the URL, is\nrefused");
    }

    /** The sections of the configuration reference and the keys their tables list. */
    private static Map<String, Set<String>> documented() throws Exception {
        List<String> lines = Files.readAllLines(OPERATIONS);
        int start = lines.indexOf("## Configuration reference");
        Map<String, Set<String>> sections = new LinkedHashMap<>();
        String section = null;
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("## ")) {
                break;
            }
            Matcher heading = SECTION.matcher(line);
            if (heading.find()) {
                section = heading.group(1);
                continue;
            }
            Matcher row = ROW.matcher(line);
            if (section != null && !section.equals("alerts") && row.find()) {
                String key = row.group(1);
                int dot = key.lastIndexOf('.');
                String owner = dot < 0 ? section : section + "." + key.substring(0, dot);
                sections.computeIfAbsent(section, s -> new TreeSet<>());
                sections.computeIfAbsent(owner, s -> new TreeSet<>()).add(dot < 0 ? key : key.substring(dot + 1));
                if (dot >= 0) {
                    sections.get(section).add(key.substring(0, dot)); // the sub-section is a key of its section
                }
            }
        }
        return sections;
    }

    private static Set<String> topLevel() throws Exception {
        Set<String> top = new TreeSet<>();
        List<String> lines = Files.readAllLines(OPERATIONS);
        for (String line : lines.subList(lines.indexOf("## Configuration reference"), lines.size())) {
            if (line.startsWith("## ") && !line.equals("## Configuration reference")) {
                break;
            }
            Matcher heading = SECTION.matcher(line);
            if (heading.find()) {
                top.add(heading.group(1));
            }
        }
        return top;
    }

    /** What the loader knows in {@code section} ("" for the top level), from its answer to an unknown key there. */
    private static Set<String> known(String section) {
        StringBuilder yaml = new StringBuilder("repository:\n  url: s3://bucket-name/prefix\n");
        yaml.append(section.equals("repository.s3") ? "  s3:\n    zz-unknown: 1\n" : "");
        yaml.append(section.equals("repository") ? "  zz-unknown: 1\n" : "");
        yaml.append("work-dir: /w\n");
        if (section.isEmpty()) {
            yaml.append("zz-unknown: 1\n");
        } else if (!section.startsWith("repository")) {
            yaml.append(section).append(":\n  zz-unknown: 1\n");
            if (section.equals("node")) {
                yaml.append("  replica: r1\n  roots: [/n]\n");
            }
        }
        String path = section.isEmpty() ? "zz-unknown" : section + ".zz-unknown";
        try {
            ConfigLoader.parse(yaml.toString(), "vigil.yaml");
        } catch (ConfigException e) {
            for (String problem : e.problems()) {
                if (problem.startsWith(path + ": unknown setting (known here: ")) {
                    String list = problem.substring(problem.indexOf("known here: ") + 12, problem.length() - 1);
                    return new TreeSet<>(List.of(list.split(", ")));
                }
            }
            fail("no unknown-setting problem for " + path + " in " + e.problems());
        }
        return fail("the loader accepted an unknown key in " + section);
    }
}
