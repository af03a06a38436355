package dev.slipway.starter.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.slipway.starter.testing.ContainerEngine;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** compose.yaml runs the app as hardened as `make serve-prod` does: the same options, read from both. */
class ComposeFileTest {

    @Test
    void composeDeclaresWhatServeProdRuns() throws Exception {
        String recipe = ContainerEngine.exec(Duration.ofSeconds(30), List.of("make", "-n", "serve-prod", "CONTAINER_ENGINE=podman"))
                .orFail("make -n serve-prod").out().replace("\\\n", " ");
        String run = recipe.lines().filter(l -> l.startsWith("podman run ")).findFirst().orElseThrow(() -> new AssertionError(recipe));
        // serve-prod's options as name=value, but those about naming, detaching, publishing and the environment
        Set<String> serveProd = new TreeSet<>();
        List<String> tokens = List.of(run.trim().split("\\s+"));
        for (int i = 2; i < tokens.size() - 1; i++) { // after `podman run`, before the image
            String flag = tokens.get(i);
            String value = flag.contains("=") || Set.of("-d", "--read-only").contains(flag) ? null : tokens.get(++i);
            if (!Set.of("-d", "--name", "-e", "-p").contains(flag)) {
                serveProd.add(value == null ? flag : flag + "=" + value);
            }
        }
        JsonNode app = new YAMLMapper().readTree(new File("compose.yaml")).path("services").path("app");
        Set<String> compose = new TreeSet<>(List.of("--user=" + app.path("user").asText(), "--memory=" + app.path("mem_limit").asText(),
                "--cpus=" + app.path("cpus").asText()));
        if (app.path("read_only").asBoolean(false)) {
            compose.add("--read-only");
        }
        app.path("tmpfs").forEach(t -> compose.add("--tmpfs=" + t.asText()));
        app.path("cap_drop").forEach(c -> compose.add("--cap-drop=" + c.asText()));
        app.path("security_opt").forEach(s -> compose.add("--security-opt=" + s.asText()));
        assertEquals(serveProd, compose, "serve-prod (make -n serve-prod) and compose.yaml must harden alike");
    }
}
