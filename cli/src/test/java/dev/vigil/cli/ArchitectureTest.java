package dev.vigil.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.store.ObjectStore;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DESIGN §2 as a test: dependencies point one way, {@code cli} → feature modules → {@code replay} → {@code core};
 * feature modules share only what lives in {@code core} (the repository model above all) and, for the two that replay
 * the archive (the judge and restore), the {@code replay} module. Checked on the product's classes (tests excluded).
 */
class ArchitectureTest {

    private static final String CORE = "dev.vigil.core..";
    private static final String CLI = "dev.vigil.cli..";
    private static final String TESTKIT = "dev.vigil.testkit..";
    private static final String BENCH = "dev.vigil.bench..";
    private static final String STORE_S3 = "dev.vigil.store.s3..";
    private static final String REFERENCE = "dev.vigil.reference..";
    private static final String RESTORE = "dev.vigil.restore..";
    private static final String REPLAY = "dev.vigil.replay..";
    private static final String ENCRYPTION = "dev.vigil.encryption..";
    private static final String TLOG = "dev.vigil.tlog..";
    private static final String AUDIT = "dev.vigil.audit..";

    /** Every module's packages. */
    private static final List<String> MODULES = List.of(
            CORE,
            STORE_S3,
            ENCRYPTION,
            TLOG,
            AUDIT,
            "dev.vigil.demo..",
            "dev.vigil.archiver..",
            "dev.vigil.scrubber..",
            REPLAY,
            REFERENCE,
            RESTORE,
            "dev.vigil.report..",
            "dev.vigil.fleet..",
            CLI,
            TESTKIT,
            BENCH);

    private static JavaClasses product;

    @BeforeAll
    static void importProduct() {
        product = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.vigil");
    }

    /** The modules' packages except {@code allowed}. */
    private static String[] allBut(String... allowed) {
        Set<String> keep = Set.of(allowed);
        return MODULES.stream().filter(m -> !keep.contains(m)).toArray(String[]::new);
    }

    private static void dependsOnlyOn(String module, String... allowed) {
        String[] others = allBut(allowed);
        noClasses()
                .that()
                .resideInAPackage(module)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(others)
                .because("feature modules share only what lives in core")
                .check(product);
    }

    @Test
    void coreDependsOnNoOtherModule() {
        dependsOnlyOn(CORE, CORE);
    }

    /** {@code core} keeps values, formats, digests, the store SPI and the repository model: no SDK, scheduler or YAML. */
    @Test
    void coreCarriesNoAwsSdkSchedulerOrYaml() {
        noClasses()
                .that()
                .resideInAPackage(CORE)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "software.amazon..",
                        "org.quartz..",
                        "com.github.kagkarlsson..",
                        "org.postgresql..",
                        "com.zaxxer..",
                        "com.fasterxml.jackson.dataformat.yaml..")
                .check(product);
    }

    @Test
    void replayOtherFeaturesTheDemoAndTheS3StoreDependOnCoreOnly() {
        for (String module : List.of(
                STORE_S3,
                ENCRYPTION,
                "dev.vigil.demo..",
                "dev.vigil.archiver..",
                "dev.vigil.scrubber..",
                REPLAY,
                "dev.vigil.report..",
                "dev.vigil.fleet..")) {
            dependsOnlyOn(module, module, CORE);
        }
    }

    /** The log's verifiable parts need nothing of Vigil: an auditor's verifier carries the JDK and them alone. */
    @Test
    void theTransparencyLogDependsOnNothingOfVigil() {
        noClasses()
                .that()
                .resideInAPackage(TLOG)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.vigil.core..", CLI, AUDIT, ENCRYPTION)
                .check(product);
    }

    /** The repository's log is a store decorator over core and the transparency log. */
    @Test
    void theAuditDependsOnCoreAndTheTransparencyLogOnly() {
        dependsOnlyOn(AUDIT, AUDIT, CORE, TLOG);
    }

    /** Only the composition root logs the repository; features never see the log. */
    @Test
    void onlyTheCliUsesTheAudit() {
        noClasses()
                .that()
                .resideOutsideOfPackages(CLI, AUDIT, BENCH, TESTKIT)
                .should()
                .dependOnClassesThat()
                .resideInAPackage(AUDIT)
                .check(product);
    }

    /** The judge compares scrub reports with a replayed reference: core and the replay engine, nothing else. */
    @Test
    void theJudgeDependsOnCoreAndReplayOnly() {
        dependsOnlyOn(REFERENCE, REFERENCE, CORE, REPLAY);
    }

    /** A restore is a replay to a point, written out: core and the replay engine, nothing of the judge. */
    @Test
    void restoreDependsOnCoreAndReplayOnly() {
        dependsOnlyOn(RESTORE, RESTORE, CORE, REPLAY);
    }

    /**
     * Only the composition root wraps the store in encryption; features read and write plaintext through the store SPI
     * and never see a key.
     */
    @Test
    void onlyTheCliUsesEncryption() {
        noClasses()
                .that()
                .resideOutsideOfPackages(CLI, ENCRYPTION, BENCH, TESTKIT)
                .should()
                .dependOnClassesThat()
                .resideInAPackage(ENCRYPTION)
                .check(product);
    }

    /** Only the command line opens an S3 store; features see the store SPI. */
    @Test
    void onlyTheCliUsesTheS3Store() {
        noClasses()
                .that()
                .resideOutsideOfPackages(CLI, STORE_S3, BENCH, TESTKIT)
                .should()
                .dependOnClassesThat()
                .resideInAPackage(STORE_S3)
                .check(product);
    }

    @Test
    void nothingButTheCliDependsOnTheCli() {
        noClasses()
                .that()
                .resideOutsideOfPackages(CLI, BENCH)
                .should()
                .dependOnClassesThat()
                .resideInAPackage(CLI)
                .check(product);
    }

    /** The product needs no test fixture: the demo's simulated node and embedded S3 server live in {@code demo}. */
    @Test
    void theProductDoesNotUseTheTestkit() {
        noClasses()
                .that()
                .resideOutsideOfPackages(TESTKIT, BENCH)
                .should()
                .dependOnClassesThat()
                .resideInAPackage(TESTKIT)
                .check(product);
    }

    /**
     * {@code core}'s packages form no cycle (the WAL format, digests, sketches, the store SPI, the repository model and
     * alerts build on each other in one direction), so each can be understood, and tested, from below.
     */
    @Test
    void coresPackagesAreFreeOfCycles() {
        slices().matching("dev.vigil.core.(*)..").should().beFreeOfCycles().check(product);
    }

    /**
     * Time is injected: only the composition roots (the command line, and the benchmarks and test kit, which are not
     * the product) read the system clock or the host's time zone; everything else is given a {@link Clock}, so tests
     * drive time and a report built twice for the same period says the same.
     */
    @Test
    void onlyTheCompositionRootReadsTheSystemClock() {
        noClasses()
                .that()
                .resideOutsideOfPackages(CLI, BENCH, TESTKIT)
                .should()
                .callMethod(Clock.class, "systemUTC")
                .orShould()
                .callMethod(Clock.class, "systemDefaultZone")
                .orShould()
                .callMethod(Clock.class, "system", ZoneId.class)
                .orShould()
                .callMethod(Instant.class, "now")
                .orShould()
                .callMethod(ZoneId.class, "systemDefault")
                .orShould()
                .callMethod(LocalDateTime.class, "now")
                .orShould()
                .callMethod(LocalDate.class, "now")
                .orShould()
                .callMethod(ZonedDateTime.class, "now")
                .because("time is injected (a Clock) everywhere but at the composition root")
                .check(product);
    }

    /**
     * Times and ids are typed from the moment they are read: documents bind them through Jackson, options through a
     * picocli converter. Text parsed into an {@code Instant} in the middle of the model was how they went typed →
     * {@code String} → typed; the two bindings that are not JSON are named here.
     */
    @Test
    void timesAreParsedOnlyWhereTheyAreBound() {
        noClasses()
                .that()
                .doNotHaveFullyQualifiedName("dev.vigil.cli.IsoInstantConverter")
                .and()
                .doNotHaveFullyQualifiedName("dev.vigil.store.s3.S3Capabilities")
                .and()
                .resideOutsideOfPackages(BENCH, TESTKIT)
                .should()
                .callMethod(Instant.class, "parse", CharSequence.class)
                .because("times are bound once, where a document or an option is read (JSON, picocli)")
                .check(product);
    }

    /**
     * Services are given the repository; only the composition roots (the CLI's services, the benchmarks, the test kit)
     * build one over a store. One facade per process is where later layers (encryption, the tamper-evident log) go.
     */
    @Test
    void onlyTheCompositionRootBuildsTheRepository() {
        noClasses()
                .that()
                .resideOutsideOfPackages(CLI, BENCH, TESTKIT)
                .should()
                .callConstructor(Repository.class, ObjectStore.class)
                .because("services take a Repository; the composition root builds it once")
                .check(product);
    }
}
