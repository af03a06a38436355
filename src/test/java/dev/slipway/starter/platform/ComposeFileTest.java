package dev.slipway.starter.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.slipway.starter.testing.ContainerEngine;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** compose.yaml runs the app as hardened as `make serve-prod` does: the same options, read from both. */
class ComposeFileTest {

    private static final Path COMPOSE = Path.of("compose.yaml").toAbsolutePath();
    /** `run` options of serve-prod that are not about how the app runs (naming, detaching, publishing, env). */
    private static final Set<String> NOT_HARDENING = Set.of("-d", "--detach", "--name", "-e", "--env", "-p", "--publish",
            "--network", "--rm", "--replace");

    @Test
    void composeDeclaresWhatServeProdRuns() throws Exception {
        assertEquals(serveProdOptions(), composeOptions(), "serve-prod (make -n serve-prod) and compose.yaml must harden alike");
    }

    /** serve-prod's hardening, as `name=value` (or `name`), from the recipe make would run. */
    static Set<String> serveProdOptions() {
        String recipe = ContainerEngine.exec(Duration.ofSeconds(30), List.of("make", "-n", "serve-prod", "CONTAINER_ENGINE=podman"))
                .orFail("make -n serve-prod").out().replace("\\\n", " ");
        String run = recipe.lines().filter(l -> l.startsWith("podman run ")).findFirst()
                .orElseThrow(() -> new AssertionError("no `podman run` in make -n serve-prod:\n" + recipe));
        List<String> tokens = new ArrayList<>(Arrays.asList(run.trim().split("\\s+")).subList(2, run.trim().split("\\s+").length));
        Set<String> options = new TreeSet<>();
        for (int i = 0; i < tokens.size() - 1; i++) { // the last token is the image
            String token = tokens.get(i);
            if (!token.startsWith("-")) {
                fail("unexpected `" + token + "` in serve-prod's run command: " + run);
            }
            String flag = token.contains("=") ? token.substring(0, token.indexOf('=')) : token;
            boolean takesValue = !token.contains("=") && !Set.of("-d", "--detach", "--read-only", "--rm", "--replace").contains(token);
            String value = token.contains("=") ? token.substring(token.indexOf('=') + 1) : takesValue ? tokens.get(++i) : null;
            if (!NOT_HARDENING.contains(flag)) {
                options.add(value == null ? flag : flag + "=" + value);
            }
        }
        return options;
    }

    /** compose.yaml's service, in the same terms. */
    static Set<String> composeOptions() throws Exception {
        JsonNode app = new YAMLMapper().readTree(COMPOSE.toFile()).path("services").path("app");
        Set<String> options = new TreeSet<>();
        if (app.has("user")) {
            options.add("--user=" + app.path("user").asText());
        }
        if (app.path("read_only").asBoolean(false)) {
            options.add("--read-only");
        }
        app.path("tmpfs").forEach(t -> options.add("--tmpfs=" + t.asText()));
        app.path("cap_drop").forEach(c -> options.add("--cap-drop=" + c.asText()));
        app.path("security_opt").forEach(s -> options.add("--security-opt=" + s.asText()));
        if (app.has("mem_limit")) {
            options.add("--memory=" + app.path("mem_limit").asText());
        }
        if (app.has("cpus")) {
            options.add("--cpus=" + app.path("cpus").asText());
        }
        return options;
    }
}
