package dev.slipway.starter.platform;

import dev.slipway.starter.testing.ContainerEngine;
import dev.slipway.starter.testing.TestImages;
import dev.slipway.starter.testing.TestImages.Kind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * No secret of the checkout reaches an image: the build context is exactly the .dockerignore allow-list, and the
 * canaries TestImages plants are in no layer, nor the history or config.
 */
public class ImageContentContainerIT {

    @BeforeAll
    static void engine() {
        ContainerEngine.require();
    }

    @Test
    void buildContextIsExactlyTheAllowList() throws Exception {
        Path context = TestImages.context();
        Path dockerfile = Files.writeString(Files.createTempFile("context-probe", ".Dockerfile"), "FROM scratch\nCOPY . /ctx/\nENTRYPOINT [\"/none\"]\n");
        String tag = TestImages.scratchName() + "-context";
        try {
            List<String> build = new ArrayList<>(List.of(ContainerEngine.name(), "build", "-q", "-t", tag, "-f", dockerfile.toString(), "."));
            build.addAll(2, ContainerEngine.buildOptions());
            ContainerEngine.exec(Duration.ofMinutes(3), build, context).orFail("context probe build");
            TreeSet<String> received = new TreeSet<>();
            TestImages.filesOf(tag).stream().filter(f -> f.startsWith("/ctx/")).forEach(f -> received.add(f.substring(5)));
            // The allow-list, said again: the Maven wrapper and pom, src/main but its Dockerfiles, the packaged app.
            TreeSet<String> expected = new TreeSet<>(List.of("mvnw", "pom.xml", ".mvn/wrapper/maven-wrapper.properties"));
            try (Stream<Path> walk = Files.walk(context)) {
                walk.filter(Files::isRegularFile).map(p -> context.relativize(p).toString())
                        .filter(f -> f.startsWith("src/main/") && !f.startsWith("src/main/docker/") || f.startsWith("target/quarkus-app/")
                                || f.startsWith("target/") && f.endsWith("-runner"))
                        .forEach(expected::add);
            }
            assertEquals(String.join("\n", expected), String.join("\n", received), "update .dockerignore and this test together");
        } finally {
            ContainerEngine.run("rmi", "-f", tag);
            Files.deleteIfExists(dockerfile);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"PROD", "NATIVE"})
    public void noCanarySecretInAnyLayerNorInHistory(Kind kind) throws Exception {
        String image = TestImages.image(kind);
        Path archive = Files.createTempFile("image", ".tar");
        try {
            ContainerEngine.run(Duration.ofMinutes(3), List.of("save", "-o", archive.toString(), image)).orFail("save");
            assertThat(Files.size(archive), greaterThan(1_000_000L));
            ContainerEngine.Result grep = ContainerEngine.exec(Duration.ofMinutes(2), List.of("grep", "-a", "-c", "-F", TestImages.CANARY, archive.toString()));
            assertEquals("0", grep.out().trim(), "a canary secret is in a layer of " + image);
        } finally {
            Files.deleteIfExists(archive);
        }
        String history = ContainerEngine.run("history", "--no-trunc", image).orFail("history").out();
        assertThat(history + ContainerEngine.run("image", "inspect", image).orFail("inspect").out(), not(containsString(TestImages.CANARY)));
        assertFalse(history.contains("settings.xml") || history.contains(".env"), history);
    }
}
