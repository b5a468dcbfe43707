package dev.vigil.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DESIGN §2 as a test: dependencies point one way, {@code cli} → feature modules → {@code core}; feature modules share
 * only what lives in {@code core} (the repository model above all). Checked on the product's classes (tests excluded).
 * The exceptions still standing are named here, each with its reason, so that a new one fails the build.
 */
class ArchitectureTest {

    private static JavaClasses product;

    @BeforeAll
    static void importProduct() {
        product = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.vigil");
    }

    @Test
    void coreDependsOnNoOtherModule() {
        noClasses()
                .that()
                .resideInAPackage("dev.vigil.core..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.vigil.archiver..",
                        "dev.vigil.scrubber..",
                        "dev.vigil.reference..",
                        "dev.vigil.restore..",
                        "dev.vigil.report..",
                        "dev.vigil.cli..",
                        "dev.vigil.testkit..",
                        "dev.vigil.bench..",
                        "dev.vigil.demo..",
                        "dev.vigil.store..")
                .check(product);
    }

    @Test
    void archiverScrubberAndReferenceBuilderDependOnCoreOnly() {
        for (String module : List.of("dev.vigil.archiver..", "dev.vigil.scrubber..", "dev.vigil.reference..")) {
            List<String> others = new ArrayList<>(List.of(
                    "dev.vigil.archiver..",
                    "dev.vigil.scrubber..",
                    "dev.vigil.reference..",
                    "dev.vigil.restore..",
                    "dev.vigil.report..",
                    "dev.vigil.cli..",
                    "dev.vigil.testkit..",
                    "dev.vigil.bench..",
                    "dev.vigil.demo.."));
            others.remove(module);
            noClasses()
                    .that()
                    .resideInAPackage(module)
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(others.toArray(String[]::new))
                    .because("feature modules share only what lives in core")
                    .check(product);
        }
    }

    /** {@code core} keeps values, formats, digests, the store SPI and the repository model: no SDK, scheduler or YAML. */
    @Test
    void coreCarriesNoAwsSdkSchedulerOrYaml() {
        noClasses()
                .that()
                .resideInAPackage("dev.vigil.core..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("software.amazon..", "org.quartz..", "com.fasterxml.jackson.dataformat.yaml..")
                .check(product);
    }

    /** Only the command line opens an S3 store; features see the store SPI. */
    @Test
    void onlyTheCliUsesTheS3Store() {
        noClasses()
                .that()
                .resideOutsideOfPackages(
                        "dev.vigil.cli..", "dev.vigil.store.s3..", "dev.vigil.bench..", "dev.vigil.testkit..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.vigil.store.s3..")
                .check(product);
        noClasses()
                .that()
                .resideInAPackage("dev.vigil.store.s3..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.vigil.archiver..",
                        "dev.vigil.scrubber..",
                        "dev.vigil.reference..",
                        "dev.vigil.restore..",
                        "dev.vigil.report..",
                        "dev.vigil.cli..",
                        "dev.vigil.demo..",
                        "dev.vigil.testkit..")
                .check(product);
    }

    @Test
    void reportsReadTheRepositoryThroughCoreAlone() {
        noClasses()
                .that()
                .resideInAPackage("dev.vigil.report..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.vigil.archiver..",
                        "dev.vigil.scrubber..",
                        "dev.vigil.reference..",
                        "dev.vigil.restore..",
                        "dev.vigil.cli..",
                        "dev.vigil.testkit..")
                .check(product);
    }

    /**
     * The one standing exception among features: a restore replays the archive with the reference builder's replay
     * engine (a restore is a replay to a point, written out). It uses nothing else of another feature.
     */
    @Test
    void restoreDependsOnCoreAndTheReplayEngineOnly() {
        noClasses()
                .that()
                .resideInAPackage("dev.vigil.restore..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.vigil.archiver..",
                        "dev.vigil.scrubber..",
                        "dev.vigil.report..",
                        "dev.vigil.cli..",
                        "dev.vigil.testkit..")
                .check(product);
    }

    @Test
    void nothingButTheCliDependsOnTheCli() {
        noClasses()
                .that()
                .resideOutsideOfPackages("dev.vigil.cli..", "dev.vigil.bench..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.vigil.cli..")
                .check(product);
    }

    /** The product needs no test fixture: the demo's simulated node and embedded S3 server live in {@code demo}. */
    @Test
    void theProductDoesNotUseTheTestkit() {
        noClasses()
                .that()
                .resideOutsideOfPackages("dev.vigil.testkit..", "dev.vigil.bench..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.vigil.testkit..")
                .check(product);
    }

    @Test
    void theDemoDependsOnCoreOnly() {
        noClasses()
                .that()
                .resideInAPackage("dev.vigil.demo..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.vigil.archiver..",
                        "dev.vigil.scrubber..",
                        "dev.vigil.reference..",
                        "dev.vigil.restore..",
                        "dev.vigil.report..",
                        "dev.vigil.cli..",
                        "dev.vigil.testkit..",
                        "dev.vigil.bench..")
                .check(product);
    }
}
