package dev.slipway.proof;

import dev.slipway.starter.testing.ContainerEngine;
import dev.slipway.starter.testing.RunningContainer;
import dev.slipway.starter.testing.TestImages;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.slipway.proof.Manifests.container;
import static dev.slipway.proof.Manifests.find;
import static dev.slipway.proof.Manifests.podSpec;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `make push` against a real registry (Debian's docker-registry on loopback, {@link LocalRegistry}):
 * it pushes the production image and prints its digest; with every local tag of it removed, the
 * image is pulled back by that digest and runs hardened; `make manifests` then names exactly what
 * was pushed, pinned by digest. Runs `make` in a copy of the working tree, so that the Maven build
 * of `manifests` leaves this build's target/ alone.
 */
class RegistryPushPullContainerIT {

    private static final Pattern PUSHED = Pattern.compile("(?m)^pushed (\\S+):prod@(sha256:[0-9a-f]{64}) ");

    @TempDir
    static Path project;
    private static LocalRegistry registry;

    @BeforeAll
    static void registryAndProject() throws Exception {
        ContainerEngine.require();
        registry = LocalRegistry.start();
        // the working tree as git sees it, without build output
        ContainerEngine.exec(Duration.ofMinutes(1), List.of("bash", "-c", "git ls-files -z --cached --others --exclude-standard | grep -zv '^target/'"
                + " | tar --null --no-recursion --ignore-failed-read -cf - -T - | tar -xf - -C \"$0\"", project.toString())).orFail("copying the project");
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void pushPrintsTheDigestThePullByDigestRunsAndTheManifestsPin() throws Exception {
        String name = TestImages.scratchName();
        String repository = registry.address + "/team/" + name;
        ContainerEngine.run("tag", TestImages.image(TestImages.Kind.PROD), name + ":prod").orFail("tag");
        ContainerEngine.Result push;
        try {
            push = make("push", "CONTAINER_ENGINE=" + ContainerEngine.name(), "REGISTRY=" + registry.address + "/team", "IMAGE=" + name);
        } finally {
            ContainerEngine.run("rmi", name + ":prod");
        }
        Matcher pushed = PUSHED.matcher(push.out());
        assertTrue(pushed.find(), push.out() + push.err());
        assertEquals(repository, pushed.group(1));
        String digest = pushed.group(2);
        String byDigest = repository + "@" + digest;

        ContainerEngine.run("rmi", repository + ":prod").orFail("removing the pushed tag");
        assertNotEquals(0, ContainerEngine.run("image", "inspect", repository + ":prod").exit(), "still tagged locally");
        List<String> pull = new ArrayList<>(List.of("pull"));
        if (ContainerEngine.isPodman()) {
            pull.add("--tls-verify=false");
        }
        pull.add(byDigest);
        try {
            ContainerEngine.run(Duration.ofMinutes(3), pull).orFail("pull " + byDigest);
            try (RunningContainer app = RunningContainer.startHardened(byDigest, 8080, "--user", "1000")) {
                assertEquals(200, app.get("/hello").statusCode());
                assertEquals(200, app.get("/q/health/ready").statusCode());
            }
        } finally {
            ContainerEngine.run("rmi", byDigest);
        }

        make("manifests", "CONTAINER_ENGINE=" + ContainerEngine.name(), "REGISTRY=" + registry.address + "/team", "IMAGE=" + name, "MVN_ARGS=-B -q -o");
        ObjectNode app = container(podSpec(find(Manifests.read(project.resolve("target/kubernetes/kubernetes.yml")), "Deployment")));
        assertEquals(repository + ":prod@" + digest, app.path("image").asText(), "the manifests pin what was pushed");
        assertEquals("Always", app.path("imagePullPolicy").asText());
    }

    @Test
    void tlsVerificationIsOffOnlyForALoopbackRegistry() {
        for (String engine : List.of("podman", "/usr/bin/docker")) {
            assertThat(make("-n", "push", "CONTAINER_ENGINE=" + engine, "REGISTRY=registry.example:5000/team").out(),
                    not(containsString("tls-verify")));
            assertThat(make("-n", "push", "CONTAINER_ENGINE=" + engine, "REGISTRY=127.0.0.1.example/team").out(),
                    not(containsString("tls-verify")));
        }
        assertThat(make("-n", "push", "CONTAINER_ENGINE=podman", "REGISTRY=127.0.0.1:5000/team").out(),
                containsString("push --tls-verify=false "));
        assertThat(make("-n", "push", "CONTAINER_ENGINE=podman", "REGISTRY=localhost:5000").out(),
                containsString("push --tls-verify=false "));
        assertThat(make("-n", "push", "CONTAINER_ENGINE=/usr/bin/docker", "REGISTRY=127.0.0.1:5000/team").out(),
                not(containsString("tls-verify")));
    }

    private static ContainerEngine.Result make(String... args) {
        List<String> command = new ArrayList<>(List.of("make", "-C", project.toString()));
        command.addAll(List.of(args));
        return ContainerEngine.exec(Duration.ofMinutes(10), command).orFail(String.join(" ", command));
    }
}
