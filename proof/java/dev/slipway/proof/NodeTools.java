package dev.slipway.proof;

import dev.slipway.starter.testing.ContainerEngine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Offline validators from npm (proof/node/package.json, versions pinned by its package-lock.json),
 * run with Node.js. {@code npm ci} installs them on first use into proof/node/node_modules (git- and
 * docker-ignored). Without npm the calling test is skipped loudly; under CI ({@code CI=true}, as GitHub
 * Actions and .ci/run set it) that is a failure instead.
 */
public final class NodeTools {

    /** Where package.json, the lock file and the scripts the tests run live. */
    public static final Path DIR = Path.of(System.getProperty("proof.dir", "proof"), "node").toAbsolutePath();

    private static boolean installed;

    private NodeTools() {
    }

    /** Skips (or, under CI, fails) the calling test when node and npm are missing; installs the packages once. */
    public static synchronized void require() {
        if (installed) {
            return;
        }
        boolean present = ContainerEngine.exec(Duration.ofSeconds(30), List.of("bash", "-c", "command -v node && command -v npm")).exit() == 0;
        if (!present) {
            String message = "node and npm are not on PATH: the offline validators (proof/node) did NOT run. Install Node.js 20+.";
            if (Boolean.parseBoolean(ContainerEngine.setting("CI"))) {
                fail(message + " CI=true makes this a failure.");
            }
            System.err.println("\n" + "!".repeat(100) + "\n!!! " + message + "\n" + "!".repeat(100) + "\n");
            assumeTrue(false, message);
        }
        if (!Files.isDirectory(DIR.resolve("node_modules"))) {
            ContainerEngine.exec(Duration.ofMinutes(5), List.of("npm", "ci", "--no-audit", "--no-fund", "--prefix", DIR.toString()))
                    .orFail("npm ci in " + DIR);
        }
        installed = true;
    }

    /** Runs {@code node proof/node/<script> <args>} (after {@link #require()}). */
    public static ContainerEngine.Result node(String script, String... args) {
        require();
        List<String> command = new ArrayList<>(List.of("node", DIR.resolve(script).toString()));
        command.addAll(List.of(args));
        return ContainerEngine.exec(Duration.ofMinutes(2), command);
    }
}
