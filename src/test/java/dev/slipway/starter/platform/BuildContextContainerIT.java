package dev.slipway.starter.platform;

import dev.slipway.starter.testing.ContainerEngine;
import dev.slipway.starter.testing.TestImages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The .dockerignore allow-list: what a `COPY . .` build receives from a checkout holding the usual
 * clutter and secrets (the model: kubebuilder's test/verify-docker-build-context.sh).
 */
class BuildContextContainerIT {

    @BeforeAll
    static void engine() {
        ContainerEngine.require();
    }

    @Test
    void buildContextIsExactlyTheAllowList() throws Exception {
        Path context = TestImages.context();
        Path dockerfile = Files.createTempFile("context-probe", ".Dockerfile");
        String tag = TestImages.scratchName() + "-context";
        try {
            Files.writeString(dockerfile, "FROM scratch\nCOPY . /ctx/\nENTRYPOINT [\"/never-run\"]\n");
            List<String> build = new java.util.ArrayList<>(List.of(ContainerEngine.name(), "build", "-q", "-t", tag,
                    "-f", dockerfile.toString()));
            build.addAll(ContainerEngine.buildOptions());
            build.add(".");
            ContainerEngine.exec(Duration.ofMinutes(3), build, context).orFail("context probe build");
            TreeSet<String> received = new TreeSet<>();
            for (String file : TestImages.filesOf(tag)) {
                if (file.startsWith("/ctx/")) {
                    received.add(file.substring("/ctx/".length()));
                }
            }
            assertEquals(String.join("\n", expected(context)), String.join("\n", received),
                    "the build context differs from the allow-list: update .dockerignore and this test together");
        } finally {
            ContainerEngine.run("rmi", "-f", tag);
            Files.deleteIfExists(dockerfile);
        }
    }

    /**
     * The allow-list, said again independently of .dockerignore: the Maven wrapper and pom, the
     * main sources without the Dockerfiles, and the packaged app; nothing else of the checkout
     * (tests, README, Makefile, .git, .env, settings.xml, ...).
     */
    private static TreeSet<String> expected(Path context) throws Exception {
        TreeSet<String> expected = new TreeSet<>(List.of("mvnw", "pom.xml", ".mvn/wrapper/maven-wrapper.properties"));
        try (Stream<Path> walk = Files.walk(context)) {
            walk.filter(Files::isRegularFile).map(p -> context.relativize(p).toString())
                    .filter(f -> (f.startsWith("src/main/") && !f.startsWith("src/main/docker/"))
                            || f.startsWith("target/quarkus-app/")
                            || (f.startsWith("target/") && f.endsWith("-runner")))
                    .forEach(expected::add);
        }
        for (String canary : TestImages.canaryFiles()) {
            if (expected.contains(canary)) {
                throw new AssertionError("a canary is inside the allow-list: " + canary);
            }
        }
        return expected;
    }
}
