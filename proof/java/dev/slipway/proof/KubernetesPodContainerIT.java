package dev.slipway.proof;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.starter.testing.ContainerEngine;
import dev.slipway.starter.testing.RunningContainer;
import dev.slipway.starter.testing.TestImages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static dev.slipway.proof.Manifests.container;
import static dev.slipway.proof.Manifests.find;
import static dev.slipway.proof.Manifests.podSpec;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The generated Deployment run by a real engine, `podman kube play`, with the production image: the
 * pod's security context and limits must reach the container, and the app must get ready under them.
 * <p>
 * Podman 4.3 is not Kubernetes, so the test runs a copy adapted to it (the real manifests stay as
 * they are): one replica, the test's image, never pulled; a hostPort on a free loopback port (Podman
 * publishes a containerPort on the same host port otherwise); no probes (Podman ignores startup and
 * readiness probes and turns liveness into a curl check the image, which has no curl, cannot run);
 * a /tmp volume name of its own (Podman makes an emptyDir a named volume).
 */
class KubernetesPodContainerIT {

    @BeforeAll
    static void podman() {
        ContainerEngine.require();
        if (!ContainerEngine.isPodman()) {
            String message = "`podman kube play` needs Podman; the engine is " + ContainerEngine.name()
                    + ": the Kubernetes pod test did NOT run (CONTAINER_ENGINE=podman to run it).";
            System.err.println("\n" + "!".repeat(100) + "\n!!! " + message + "\n" + "!".repeat(100) + "\n");
            assumeTrue(false, message);
        }
    }

    @Test
    void theDeploymentRunsHardenedAndGetsReadyThenKubeDownRemovesIt(@TempDir Path dir) throws Exception {
        String image = TestImages.image(TestImages.Kind.PROD);
        String name = "it-kube-" + UUID.randomUUID().toString().substring(0, 8);
        int port = RunningContainer.freePort();

        ObjectNode deployment = find(Manifests.generated(), "Deployment");
        ((ObjectNode) deployment.get("metadata")).put("name", name);
        ((ObjectNode) deployment.get("spec")).put("replicas", 1);
        ObjectNode pod = podSpec(deployment);
        ObjectNode app = container(pod);
        app.put("image", image).put("imagePullPolicy", "IfNotPresent");
        ObjectNode http = Manifests.port(app, "http");
        int containerPort = http.path("containerPort").asInt();
        http.put("hostPort", port).put("hostIP", "127.0.0.1");
        app.remove(List.of("startupProbe", "livenessProbe", "readinessProbe"));
        ((ObjectNode) pod.path("volumes").get(0)).put("name", name + "-tmp");
        ((ObjectNode) app.path("volumeMounts").get(0)).put("name", name + "-tmp");
        Path file = Manifests.write(List.of(deployment), dir.resolve("deployment.yml"));

        RunningContainer container = new RunningContainer(name + "-pod-0-" + app.path("name").asText(), port);
        ContainerEngine.run(Duration.ofMinutes(2), List.of("kube", "play", file.toString())).orFail("podman kube play");
        try {
            container.awaitReady(Duration.ofSeconds(90));
            HttpResponse<String> ready = container.get("/q/health/ready");
            assertEquals(200, ready.statusCode());
            assertThat(ready.body(), containsString("\"status\": \"UP\""));
            assertThat(container.logs(), containsString("Listening on: http://0.0.0.0:" + containerPort));
            assertEquals("1000", container.processUid(), "the app runs as uid 1000");
            assertEquals("true", container.inspect("{{.HostConfig.ReadonlyRootfs}}"), "read-only root filesystem");
            assertEquals("[]", container.inspect("{{.EffectiveCaps}}"), "no capabilities");
            assertThat(container.inspect("{{.HostConfig.SecurityOpt}}"), containsString("no-new-privileges"));
            assertEquals(String.valueOf(256L * 1024 * 1024), container.inspect("{{.HostConfig.Memory}}"), "256Mi memory limit");
        } finally {
            ContainerEngine.run(Duration.ofMinutes(1), List.of("kube", "down", file.toString())).orFail("podman kube down");
        }
        assertNotEquals(0, ContainerEngine.run("pod", "exists", name + "-pod-0").exit(), "kube down removed the pod");
        assertNotEquals(0, ContainerEngine.run("container", "exists", container.name).exit(), "kube down removed the container");
    }
}
