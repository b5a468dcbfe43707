package dev.vigil.cli;

import dev.vigil.core.VigilVersion;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

/**
 * What a long-running process (daemon, worker) exports besides Vigil's own meters: {@code vigil_build_info{version}},
 * {@code vigil_fleet_configured}, and the JVM's and the process's (memory, GC, threads, CPU, uptime, open files).
 * Stateless.
 */
final class ProcessMetrics {

    private ProcessMetrics() {}

    /** Binds them to {@code registry}; returns the GC metrics, which the caller closes with the process. */
    static JvmGcMetrics register(MeterRegistry registry, boolean fleetConfigured) {
        Gauge.builder("vigil.fleet.configured", () -> fleetConfigured ? 1 : 0)
                .description("1 when this process's configuration has a fleet: section (workers judge and verify), 0"
                        + " when its node agents do that work themselves; the fleet's alerting rules fire only where 1")
                .register(registry);
        Gauge.builder("vigil.build.info", () -> 1)
                .tag("version", VigilVersion.version())
                .tag("java", System.getProperty("java.version", "unknown"))
                .description("The running Vigil's version (always 1)")
                .register(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        return gc;
    }
}
