package dev.vigil.core.io;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Which process on which host made a piece of scratch state: written at the end of a temporary file's or
 * directory's name as {@code -<pid>@<host>}, so that a later run can tell the leftovers of a process that died (a
 * Ctrl-C twice, a kill -9, a power cut) from the work of one still running, and remove them at once instead of
 * waiting for an age limit. Host names cannot contain {@code @}, so the tag is found from the end of any name.
 *
 * @param pid  the process id
 * @param host the host name as the process saw it (lower case)
 */
public record ProcessTag(long pid, String host) {

    private static final ProcessTag CURRENT =
            new ProcessTag(ProcessHandle.current().pid(), localHost());

    public ProcessTag {
        if (host.isEmpty() || host.indexOf('@') >= 0 || host.indexOf('/') >= 0) {
            throw new IllegalArgumentException("not a host name for a process tag: '" + host + "'");
        }
    }

    /** This process. */
    public static ProcessTag current() {
        return CURRENT;
    }

    /** The suffix a name made by this process ends with: {@code -<pid>@<host>}. */
    public String suffix() {
        return "-" + pid + "@" + host;
    }

    /** The tag at the end of {@code name} (a file or directory name), if it has one. */
    public static Optional<ProcessTag> of(String name) {
        int at = name.lastIndexOf('@');
        if (at <= 0 || at == name.length() - 1) {
            return Optional.empty();
        }
        int start = at;
        while (start > 0 && Character.isDigit(name.charAt(start - 1))) {
            start--;
        }
        if (start == at || start == 0 || name.charAt(start - 1) != '-') {
            return Optional.empty();
        }
        String host = name.substring(at + 1);
        if (host.indexOf('/') >= 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ProcessTag(Long.parseLong(name.substring(start, at)), host));
        } catch (NumberFormatException tooLong) {
            return Optional.empty();
        }
    }

    /**
     * Whether the process that made this is known to be gone: it ran on this host and no process with its id is alive.
     * (A process on another host sharing the directory is never judged; its leftovers age out instead.)
     */
    public boolean isDeadHere() {
        return host.equals(CURRENT.host)
                && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    }

    private static String localHost() {
        String name = System.getenv("HOSTNAME");
        if (name == null || name.isBlank()) {
            try {
                name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            } catch (IOException | RuntimeException e) {
                name = null;
            }
        }
        if (name == null || name.isBlank()) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                name = "localhost";
            }
        }
        String cleaned = name.strip().toLowerCase(Locale.ROOT).replace('@', '_').replace('/', '_');
        return cleaned.isEmpty() ? "localhost" : cleaned;
    }
}
