package dev.slipway.starter.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.starter.testing.Manifests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

import static dev.slipway.starter.testing.Manifests.container;
import static dev.slipway.starter.testing.Manifests.find;
import static dev.slipway.starter.testing.Manifests.podSpec;
import static dev.slipway.starter.testing.Manifests.port;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The manifests quarkus-kubernetes generated at package time (target/kubernetes/kubernetes.yml):
 * the restricted Pod Security Standard rule by rule, and wired to the app (port, probes, limits,
 * image, shutdown).
 */
class KubernetesManifestsIT {

    private static final String APP_NAME = System.getProperty("app.name", "slipway-starter");

    /**
     * The restricted Pod Security Standard (https://kubernetes.io/docs/concepts/security/pod-security-standards/),
     * with the baseline rules it includes, plus this project's own: UID 1000 in group 0, a read-only
     * root filesystem and /tmp in memory. Each rule carries a way to break it, to show it can fail.
     */
    enum Rule {
        RUN_AS_NON_ROOT("runAsNonRoot: true",
                pod -> effective(pod, "runAsNonRoot").asBoolean(false),
                pod -> sc(container(pod)).put("runAsNonRoot", false)),
        RUN_AS_UID_1000("runAsUser: 1000 (non-zero, the images' user)",
                pod -> effective(pod, "runAsUser").asInt(-1) == 1000,
                pod -> sc(container(pod)).put("runAsUser", 0)),
        RUN_AS_GROUP_0("runAsGroup: 0 (the group the images' files belong to)",
                pod -> effective(pod, "runAsGroup").isInt() && effective(pod, "runAsGroup").asInt() == 0,
                pod -> sc(container(pod)).put("runAsGroup", 1000)),
        NO_PRIVILEGE_ESCALATION("allowPrivilegeEscalation: false",
                pod -> sc(container(pod)).path("allowPrivilegeEscalation").isBoolean()
                        && !sc(container(pod)).path("allowPrivilegeEscalation").asBoolean(),
                pod -> sc(container(pod)).remove("allowPrivilegeEscalation")),
        CAPABILITIES_DROP_ALL("capabilities: drop ALL, add nothing but NET_BIND_SERVICE",
                pod -> strings(sc(container(pod)).path("capabilities").path("drop")).contains("ALL")
                        && Set.of("NET_BIND_SERVICE").containsAll(strings(sc(container(pod)).path("capabilities").path("add"))),
                pod -> ((ObjectNode) sc(container(pod)).path("capabilities")).putArray("add").add("NET_RAW")),
        SECCOMP_RUNTIME_DEFAULT("seccompProfile: RuntimeDefault (or Localhost)",
                pod -> Set.of("RuntimeDefault", "Localhost").contains(effective(pod, "seccompProfile").path("type").asText()),
                pod -> sc(container(pod)).putObject("seccompProfile").put("type", "Unconfined")),
        NOT_PRIVILEGED("no privileged container",
                pod -> !sc(container(pod)).path("privileged").asBoolean(false),
                pod -> sc(container(pod)).put("privileged", true)),
        NO_HOST_NAMESPACES("no hostNetwork, hostPID, hostIPC",
                pod -> List.of("hostNetwork", "hostPID", "hostIPC").stream().noneMatch(f -> pod.path(f).asBoolean(false)),
                pod -> pod.put("hostNetwork", true)),
        NO_HOST_PORTS("no hostPort",
                pod -> StreamSupport.stream(container(pod).path("ports").spliterator(), false).allMatch(p -> p.path("hostPort").asInt(0) == 0),
                pod -> ((ObjectNode) container(pod).path("ports").get(0)).put("hostPort", 8080)),
        ALLOWED_VOLUME_TYPES("volumes only of the restricted types (emptyDir, configMap, secret, ...)",
                pod -> StreamSupport.stream(pod.path("volumes").spliterator(), false).allMatch(v -> {
                    List<String> types = new ArrayList<>();
                    v.fieldNames().forEachRemaining(types::add);
                    types.remove("name");
                    return Set.of("configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim",
                            "projected", "secret").containsAll(types);
                }),
                pod -> pod.withArray("volumes").addObject().put("name", "host").putObject("hostPath").put("path", "/")),
        READ_ONLY_ROOT_FILESYSTEM("readOnlyRootFilesystem: true",
                pod -> sc(container(pod)).path("readOnlyRootFilesystem").asBoolean(false),
                pod -> sc(container(pod)).put("readOnlyRootFilesystem", false)),
        TMP_IN_MEMORY("/tmp is an emptyDir in memory with a size limit",
                pod -> {
                    JsonNode mount = StreamSupport.stream(container(pod).path("volumeMounts").spliterator(), false)
                            .filter(m -> "/tmp".equals(m.path("mountPath").asText())).findFirst().orElse(null);
                    JsonNode volume = mount == null ? null : StreamSupport.stream(pod.path("volumes").spliterator(), false)
                            .filter(v -> v.path("name").asText().equals(mount.path("name").asText())).findFirst().orElse(null);
                    return volume != null && "Memory".equals(volume.path("emptyDir").path("medium").asText())
                            && !volume.path("emptyDir").path("sizeLimit").asText().isEmpty();
                },
                pod -> ((ObjectNode) pod.path("volumes").get(0).path("emptyDir")).remove("medium"));

        final String description;
        final Predicate<ObjectNode> check;
        final Consumer<ObjectNode> breaker;

        Rule(String description, Predicate<ObjectNode> check, Consumer<ObjectNode> breaker) {
            this.description = description;
            this.check = check;
            this.breaker = breaker;
        }

        /** The container's value, else the pod's (a container-level value wins, as in Kubernetes). */
        static JsonNode effective(ObjectNode pod, String field) {
            JsonNode own = sc(container(pod)).path(field);
            return own.isMissingNode() ? pod.path("securityContext").path(field) : own;
        }

        static ObjectNode sc(ObjectNode container) {
            return container.has("securityContext") ? (ObjectNode) container.get("securityContext") : container.putObject("securityContext");
        }

        static Set<String> strings(JsonNode array) {
            return Set.copyOf(StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList());
        }
    }

    @ParameterizedTest
    @EnumSource(Rule.class)
    void theDeploymentMeetsTheRestrictedProfile(Rule rule) {
        assertTrue(rule.check.test(podSpec(find(Manifests.generated(), "Deployment"))), rule + ": " + rule.description);
    }

    @ParameterizedTest
    @EnumSource(Rule.class)
    void aManifestThatBreaksTheRuleFailsItAndOnlyIt(Rule rule) {
        ObjectNode pod = podSpec(find(Manifests.generated(), "Deployment"));
        rule.breaker.accept(pod);
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
