package dev.slipway.proof;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.starter.platform.KubernetesManifestsIT;
import dev.slipway.starter.platform.KubernetesManifestsIT.Rule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

import static dev.slipway.proof.Manifests.container;
import static dev.slipway.proof.Manifests.find;
import static dev.slipway.proof.Manifests.podSpec;
import static dev.slipway.proof.Manifests.port;
import static dev.slipway.starter.platform.KubernetesManifestsIT.sc;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generated manifests (target/kubernetes/kubernetes.yml) beyond the project's KubernetesManifestsIT:
 * each of its restricted-profile rules fails on a manifest that breaks it (and only it), and the
 * manifests are wired to the app: port, probes, metrics annotations, limits, image, shutdown, PDB, HPA.
 */
class KubernetesManifestWiringIT {

    private static final String APP_NAME = System.getProperty("app.name", "slipway-starter");

    /** One way to break each rule. */
    private static final Map<Rule, Consumer<ObjectNode>> BREAK = Map.ofEntries(
            Map.entry(Rule.RUN_AS_NON_ROOT, pod -> sc(pod).put("runAsNonRoot", false)),
            Map.entry(Rule.RUN_AS_UID_1000, pod -> sc(pod).put("runAsUser", 0)),
            Map.entry(Rule.RUN_AS_GROUP_0, pod -> sc(pod).put("runAsGroup", 1000)),
            Map.entry(Rule.NO_PRIVILEGE_ESCALATION, pod -> sc(pod).remove("allowPrivilegeEscalation")),
            Map.entry(Rule.CAPABILITIES_DROP_ALL, pod -> ((ObjectNode) sc(pod).path("capabilities")).putArray("add").add("NET_RAW")),
            Map.entry(Rule.SECCOMP_RUNTIME_DEFAULT, pod -> sc(pod).putObject("seccompProfile").put("type", "Unconfined")),
            Map.entry(Rule.NOT_PRIVILEGED, pod -> sc(pod).put("privileged", true)),
            Map.entry(Rule.NO_HOST_NAMESPACES, pod -> pod.put("hostNetwork", true)),
            Map.entry(Rule.NO_HOST_PORTS, pod -> ((ObjectNode) KubernetesManifestsIT.container(pod).path("ports").get(0)).put("hostPort", 8080)),
            Map.entry(Rule.ALLOWED_VOLUME_TYPES, pod -> pod.withArray("volumes").addObject().put("name", "host").putObject("hostPath").put("path", "/")),
            Map.entry(Rule.READ_ONLY_ROOT_FILESYSTEM, pod -> sc(pod).put("readOnlyRootFilesystem", false)),
            Map.entry(Rule.TMP_IN_MEMORY, pod -> ((ObjectNode) pod.path("volumes").get(0).path("emptyDir")).remove("medium")));

    @ParameterizedTest
    @EnumSource(Rule.class)
    void aManifestThatBreaksTheRuleFailsItAndOnlyIt(Rule rule) throws IOException {
        ObjectNode pod = KubernetesManifestsIT.deploymentPod();
        BREAK.get(rule).accept(pod);
        assertFalse(rule.check.test(pod), rule + " must fail on " + pod);
        for (Rule other : Rule.values()) {
            if (other != rule) {
                assertTrue(other.check.test(pod), "breaking " + rule + " must leave " + other + " intact");
            }
        }
    }

    @Test
    void thePortIsTheImagesPortEverywhere() throws IOException {
        int imagePort = dockerfileAppPortDefault();
        Matcher propertiesDefault = Pattern.compile("(?m)^quarkus\\.http\\.port=\\$\\{APP_PORT:(\\d+)}$").matcher(properties());
        assertTrue(propertiesDefault.find(), "application.properties sets quarkus.http.port=${APP_PORT:<port>}");
        assertEquals(imagePort, Integer.parseInt(propertiesDefault.group(1)), "the app's default port is the image's");
        // A literal, not ${APP_PORT}/${quarkus.http.port}: `APP_PORT=18081 make serve` must not rewrite the manifests.
        assertTrue(Pattern.compile("(?m)^quarkus\\.kubernetes\\.ports\\.http\\.container-port=\\d+$").matcher(properties()).find(),
                "quarkus.kubernetes.ports.http.container-port must be a number, not an expression that follows APP_PORT");

        List<ObjectNode> objects = Manifests.generated();
        ObjectNode app = container(podSpec(find(objects, "Deployment")));
        assertEquals(imagePort, port(app, "http").path("containerPort").asInt());
        assertEquals(String.valueOf(imagePort), env(app).get("APP_PORT"), "APP_PORT in the pod");
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            assertEquals(imagePort, app.path(probe).path("httpGet").path("port").asInt(), probe + " port");
        }
        JsonNode servicePort = find(objects, "Service").path("spec").path("ports").get(0);
        assertEquals(imagePort, servicePort.path("targetPort").asInt(), "Service targetPort");
    }

    @Test
    void prometheusFindsTheMetricsOnTheManagementPortByAnnotation() {
        List<ObjectNode> objects = Manifests.generated();
        ObjectNode deployment = find(objects, "Deployment");
        ObjectNode app = container(podSpec(deployment));
        assertEquals(ObservabilityContainerIT.MANAGEMENT_PORT, port(app, "management").path("containerPort").asInt());
        JsonNode annotations = deployment.path("spec").path("template").path("metadata").path("annotations");
        assertEquals("true", annotations.path("prometheus.io/scrape").asText(), annotations.toString());
        assertEquals("/q/metrics", annotations.path("prometheus.io/path").asText());
        assertEquals(String.valueOf(ObservabilityContainerIT.MANAGEMENT_PORT), annotations.path("prometheus.io/port").asText());
        assertTrue(objects.stream().noneMatch(o -> o.path("kind").asText().equals("ServiceMonitor")),
                "no ServiceMonitor unless asked for (quarkus.kubernetes.prometheus.generate-service-monitor)");
        assertTrue(StreamSupport.stream(find(objects, "Service").path("spec").path("ports").spliterator(), false)
                .noneMatch(p -> p.path("targetPort").asInt() == ObservabilityContainerIT.MANAGEMENT_PORT),
                "the Service publishes the API only, not the metrics");
    }

    @Test
    void probesAreWiredToSmallRyeHealth() {
        ObjectNode app = container(podSpec(find(Manifests.generated(), "Deployment")));
        assertEquals("/q/health/started", app.path("startupProbe").path("httpGet").path("path").asText());
        assertEquals("/q/health/live", app.path("livenessProbe").path("httpGet").path("path").asText());
        assertEquals("/q/health/ready", app.path("readinessProbe").path("httpGet").path("path").asText());
        JsonNode startup = app.path("startupProbe");
        assertThat("the startup probe allows 20 s or more to start",
                startup.path("periodSeconds").asInt() * startup.path("failureThreshold").asInt(), greaterThanOrEqualTo(20));
    }

    @Test
    void imageLimitsReplicasAndShutdown() throws IOException {
        List<ObjectNode> objects = Manifests.generated();
        ObjectNode deployment = find(objects, "Deployment");
        ObjectNode app = container(podSpec(deployment));
        assertEquals(APP_NAME + ":prod", app.path("image").asText(), "the production image");
        assertEquals("Always", app.path("imagePullPolicy").asText(), "the mutable tag prod is pulled on every start");
        assertEquals("256Mi", app.path("resources").path("limits").path("memory").asText());
        assertEquals("256Mi", app.path("resources").path("requests").path("memory").asText());
        assertFalse(app.path("resources").path("limits").path("cpu").asText().isEmpty(), "a CPU limit");
        assertFalse(app.path("resources").path("requests").path("cpu").asText().isEmpty(), "a CPU request (the HPA's base)");
        assertThat(deployment.path("spec").path("replicas").asInt(), greaterThanOrEqualTo(2));

        Properties props = new Properties();
        props.load(new java.io.StringReader(properties()));
        long drain = seconds(props.getProperty("quarkus.shutdown.delay")) + seconds(props.getProperty("quarkus.shutdown.timeout"));
        assertThat("terminationGracePeriodSeconds > shutdown delay + timeout",
                podSpec(deployment).path("terminationGracePeriodSeconds").asLong(), greaterThan(drain));
    }

    @Test
    void disruptionBudgetAndAutoscalerSelectTheDeployment() {
        List<ObjectNode> objects = Manifests.generated();
        ObjectNode deployment = find(objects, "Deployment");
        JsonNode podLabels = deployment.path("spec").path("template").path("metadata").path("labels");
        JsonNode selector = deployment.path("spec").path("selector").path("matchLabels");
        selector.fields().forEachRemaining(e -> assertEquals(e.getValue(), podLabels.path(e.getKey()), "pod label " + e.getKey()));
        assertFalse(selector.has("app.kubernetes.io/version"), "no version in the immutable selector");

        JsonNode pdb = find(objects, "PodDisruptionBudget").path("spec");
        assertEquals(1, pdb.path("minAvailable").asInt());
        assertEquals(selector, pdb.path("selector").path("matchLabels"));
        find(objects, "Service").path("spec").path("selector").fields()
                .forEachRemaining(e -> assertEquals(e.getValue(), podLabels.path(e.getKey()), "Service selects the pods: " + e.getKey()));

        ObjectNode hpa = find(objects, "HorizontalPodAutoscaler");
        assertEquals("autoscaling/v2", hpa.path("apiVersion").asText());
        assertEquals(deployment.path("metadata").path("name"), hpa.path("spec").path("scaleTargetRef").path("name"));
        assertEquals("Deployment", hpa.path("spec").path("scaleTargetRef").path("kind").asText());
        assertThat(hpa.path("spec").path("minReplicas").asInt(), greaterThanOrEqualTo(2));
        assertEquals("cpu", hpa.path("spec").path("metrics").get(0).path("resource").path("name").asText());
    }

    /** The Dockerfile's `ARG APP_PORT=<port>`: the port of every image built without --build-arg. */
    static int dockerfileAppPortDefault() throws IOException {
        Matcher m = Pattern.compile("(?m)^ARG APP_PORT=(\\d+)$").matcher(Files.readString(Path.of("Dockerfile")));
        assertTrue(m.find(), "the Dockerfile declares ARG APP_PORT=<port>");
        return Integer.parseInt(m.group(1));
    }

    private static String properties() throws IOException {
        return Files.readString(Path.of("src/main/resources/application.properties"));
    }

    private static long seconds(String quarkusDuration) {
        return Duration.parse("PT" + quarkusDuration.trim().toUpperCase()).toSeconds();
    }

    private static Map<String, String> env(JsonNode container) {
        Map<String, String> env = new java.util.HashMap<>();
        container.path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
        return env;
    }
}
