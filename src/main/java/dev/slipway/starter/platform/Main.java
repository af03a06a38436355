package dev.slipway.starter.platform;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

import java.util.List;

/**
 * Entry point of the packaged app and of the native executable.
 * <p>
 * It checks the environment before Quarkus boots, so a bad setting ends the process with one
 * line per problem that says what to fix (exit code 2) instead of a stack trace. With the single
 * argument {@code healthcheck} it is the container HEALTHCHECK: images need no curl, wget or shell.
 */
@QuarkusMain
public class Main {

    /** Exit code for a configuration the app refuses to start with (sysexits' EX_USAGE is 64; 2 is the shell's "misuse"). */
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
