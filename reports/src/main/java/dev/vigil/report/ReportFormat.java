package dev.vigil.report;

/** The forms a report is written in, each named by its file extension. */
public enum ReportFormat {
    /** One self-contained page for people, with inline SVG charts. */
    HTML("html"),
    /** The report record as JSON, for machines. */
    JSON("json"),
    /** One row per partition, so that a history of reports can be queried with any Parquet reader. */
    PARQUET("parquet");

    private final String extension;

    ReportFormat(String extension) {
        this.extension = extension;
    }

    public String extension() {
        return extension;
    }
}
