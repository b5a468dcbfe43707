package dev.vigil.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes over SIGTERM and SIGINT for a command that stops cleanly on its own: instead of the JVM starting its exit
 * (which ends the process with 143 or 130 whatever the command did, and skips its {@code finally} blocks), the first
 * signal runs {@code onStop} on a named thread, and the command returns its own exit code once it has stopped. A
 * second signal while stopping gets the JVM's default handling (an operator who insists gets an immediate exit).
 * Restores the previous handlers when closed. One instance per command run.
 *
 * <p>The JDK offers no supported API for this. {@code sun.misc.Signal} (module {@code jdk.unsupported}) is what
 * servers on the JVM use; it is reached by reflection, as Kafka does, because the compiler rightly warns about
 * naming it. Where it is missing, the command keeps the JVM's default handling and says so in the log.
 */
final class StopSignals implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);
    private static final List<String> SIGNALS = List.of("TERM", "INT");

    private final List<Object> signals = new ArrayList<>();
    private final List<Object> previous = new ArrayList<>();
    private final @Nullable Method handle;
    private volatile @Nullable String received;

    /** Handles SIGTERM and SIGINT by starting {@code onStop} on a thread named {@code threadName}. */
    StopSignals(String threadName, Runnable onStop) {
        Method handleMethod = null;
        Method raiseMethod = null;
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            handleMethod = signalClass.getMethod("handle", signalClass, handlerClass);
            raiseMethod = signalClass.getMethod("raise", signalClass);
            Method getName = signalClass.getMethod("getName");
            Method raiseFinal = raiseMethod;
            for (String name : SIGNALS) {
                Object signal = signalClass.getConstructor(String.class).newInstance(name);
                Object handler = Proxy.newProxyInstance(
                        handlerClass.getClassLoader(), new Class<?>[] {handlerClass}, (proxy, method, args) -> {
                            if (method.getName().equals("handle")) {
                                caught(args[0], getName, raiseFinal, threadName, onStop);
                                return null;
                            }
                            return switch (method.getName()) {
                                case "toString" -> "vigil stop handler for SIG" + name;
                                case "hashCode" -> System.identityHashCode(proxy);
                                case "equals" -> isSameHandler(proxy, args[0]);
                                default -> throw new UnsupportedOperationException(method.getName());
                            };
                        });
                previous.add(handleMethod.invoke(null, signal, handler));
                signals.add(signal);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn(
                    "cannot handle SIGTERM and SIGINT ({}); they will end the process without a clean stop",
                    e.toString());
        }
        this.handle = handleMethod;
    }

    /** A proxy handler equals only itself (what {@code ==} says, spelled so that no reader takes it for a slip). */
    @SuppressWarnings("ReferenceEquality")
    private static boolean isSameHandler(Object proxy, Object other) {
        return proxy == other;
    }

    private void caught(Object signal, Method getName, Method raiseMethod, String threadName, Runnable onStop)
            throws ReflectiveOperationException {
        if (received != null) {
            raiseMethod.invoke(null, signal); // the default handler is back: the JVM exits now
            return;
        }
        received = "SIG" + getName.invoke(signal);
        restore();
        Thread.ofPlatform().name(threadName).start(onStop);
    }

    /** The signal that asked the command to stop ("SIGTERM", "SIGINT"), or null while none did. */
    @Nullable
    String received() {
        return received;
    }

    private synchronized void restore() {
        Method handle = this.handle;
        if (handle == null) {
            return;
        }
        for (int i = 0; i < signals.size(); i++) {
            try {
                handle.invoke(null, signals.get(i), previous.get(i));
            } catch (IllegalAccessException | InvocationTargetException e) {
                LOG.warn("cannot restore the default handler of {}: {}", signals.get(i), e.toString());
            }
        }
        signals.clear();
    }

    @Override
    public void close() {
        restore();
    }
}
