package dev.slipway.starter.platform;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

import java.util.List;

/**
 * Entry point of the packaged app and the native executable: a bad setting ends the process before
 * Quarkus boots, with one line per problem and exit code 2 (the shell's "misuse"), no stack trace.
 * With the single argument {@code healthcheck} it is the container HEALTHCHECK.
 */
@QuarkusMain
public class Main {

    static final int BAD_CONFIGURATION = 2;

    public static void main(String... args) {
        if (args.length == 1 && HealthProbe.COMMAND.equals(args[0])) {
            System.exit(HealthProbe.check(System.getenv()));
        }
        List<String> problems = StartupSettings.problems(System.getenv());
        if (!problems.isEmpty()) {
            problems.forEach(problem -> System.err.println("ERROR: " + problem));
            System.exit(BAD_CONFIGURATION);
        }
        Quarkus.run(args);
    }
}
