package dev.slipway.proof;

import dev.slipway.starter.testing.ContainerEngine;
import dev.slipway.starter.testing.TestImages;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Two clean builds of the production image from the same commit, with what `make build-prod` passes
 * (SOURCE_DATE_EPOCH of the last commit, Podman's --timestamp), have the same layers, but for the
 * two the README explains ("Rebuilding byte for byte"): /app/quarkus/ (Quarkus 3.34's generated
 * bytecode numbers its recorded proxies in the order parallel build steps run) and the AOT cache.
 * Podman only: Docker 20.10's BuildKit cannot set the files' times, so no two of its builds share a
 * layer that holds a file made in the build. Two production builds: minutes each.
 */
class ReproducibleImageContainerIT {

    /** Layers (by the COPY that made them) that are known to differ, and why: README. */
    private static final List<String> EXPLAINED = List.of("/app/quarkus/", "/app/aot/");
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void engine() {
        ContainerEngine.require();
        assumeTrue(ContainerEngine.isPodman(), "Docker 20.10's BuildKit cannot rewrite file times (README, \"Rebuilding"
                + " byte for byte\"): reproducible layers are proven with Podman");
    }

    @Test
    void twoCleanBuildsShareEveryLayerButTheExplainedOnes() throws Exception {
        String epoch = ContainerEngine.exec(Duration.ofSeconds(30), List.of("git", "log", "-1", "--format=%ct"))
                .orFail("git log").out().trim();
        List<Layer> first = layers(build(epoch, "1"));
        List<Layer> second = layers(build(epoch, "2"));
        assertEquals(first.size(), second.size(), "layer counts");
        List<String> unexplained = new ArrayList<>();
        int same = 0;
        for (int i = 0; i < first.size(); i++) {
            Layer a = first.get(i);
            boolean equal = a.digest.equals(second.get(i).digest);
            boolean explained = EXPLAINED.stream().anyMatch(a.createdBy::endsWith);
            System.out.printf("layer %d %s %s%n", i, equal ? "same     " : explained ? "differs (explained)" : "DIFFERS", a.createdBy);
            same += equal ? 1 : 0;
            if (!equal && !explained) {
                unexplained.add(a.createdBy);
            }
        }
        System.out.printf("reproducible layers: %d of %d%n", same, first.size());
        assertThat("layers that differ between two clean builds", unexplained, empty());
        assertThat(same, greaterThan(first.size() - EXPLAINED.size() - 1));
    }

    private static String build(String epoch, String which) {
        return TestImages.image(TestImages.Kind.PROD, List.of("--timestamp", epoch, "--build-arg", "SOURCE_DATE_EPOCH=" + epoch,
                "--label", "dev.slipway.proof.build=" + which));
    }

    record Layer(String digest, String createdBy) {
    }

    /** The image's layers, oldest first, each with the step that made it (Podman's inspect keeps the history). */
    private static List<Layer> layers(String image) throws Exception {
        JsonNode inspect = JSON.readTree(ContainerEngine.run("image", "inspect", image).orFail("inspect").out()).get(0);
        List<String> digests = new ArrayList<>();
        inspect.path("RootFS").path("Layers").forEach(d -> digests.add(d.asText()));
        List<String> steps = new ArrayList<>();
        for (JsonNode entry : inspect.path("History")) {
            if (!entry.path("empty_layer").asBoolean(false)) {
                steps.add(entry.path("created_by").asText().trim());
            }
        }
        assertEquals(digests.size(), steps.size(), "history of " + image + " does not match its layers: " + inspect.path("History"));
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < digests.size(); i++) {
            layers.add(new Layer(digests.get(i), steps.get(i)));
        }
        return layers;
    }
}
