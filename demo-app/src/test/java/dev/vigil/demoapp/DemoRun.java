package dev.vigil.demoapp;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the demo's command line in-process and captures what it prints. */
record DemoRun(int exitCode, String out, String err) {

    static DemoRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = DemoMain.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new DemoRun(code, out.toString(), err.toString());
    }
}
