package dev.slipway.starter.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Deployment quarkus-kubernetes writes at package time (target/kubernetes/kubernetes.yml) meets the restricted Pod Security Standard. */
public class KubernetesManifestsIT {

    /**
     * https://kubernetes.io/docs/concepts/security/pod-security-standards/ (restricted, with the baseline
     * rules it includes), plus the images' own: uid 1000 in group 0, read-only root, /tmp in memory.
     */
    public enum Rule {
        RUN_AS_NON_ROOT(pod -> effective(pod, "runAsNonRoot").asBoolean(false)),
        RUN_AS_UID_1000(pod -> effective(pod, "runAsUser").asInt(-1) == 1000),
        RUN_AS_GROUP_0(pod -> effective(pod, "runAsGroup").isInt() && effective(pod, "runAsGroup").asInt() == 0),
        NO_PRIVILEGE_ESCALATION(pod -> sc(pod).path("allowPrivilegeEscalation").isBoolean() && !sc(pod).path("allowPrivilegeEscalation").asBoolean()),
        CAPABILITIES_DROP_ALL(pod -> strings(sc(pod).path("capabilities").path("drop")).contains("ALL")
                && Set.of("NET_BIND_SERVICE").containsAll(strings(sc(pod).path("capabilities").path("add")))),
        SECCOMP_RUNTIME_DEFAULT(pod -> Set.of("RuntimeDefault", "Localhost").contains(effective(pod, "seccompProfile").path("type").asText())),
        NOT_PRIVILEGED(pod -> !sc(pod).path("privileged").asBoolean(false)),
        NO_HOST_NAMESPACES(pod -> Set.of("hostNetwork", "hostPID", "hostIPC").stream().noneMatch(f -> pod.path(f).asBoolean(false))),
        NO_HOST_PORTS(pod -> container(pod).path("ports").valueStream().allMatch(p -> p.path("hostPort").asInt(0) == 0)),
        ALLOWED_VOLUME_TYPES(pod -> pod.path("volumes").valueStream().allMatch(v -> Set.of("name", "configMap", "csi", "downwardAPI", "emptyDir",
                "ephemeral", "persistentVolumeClaim", "projected", "secret").containsAll(v.properties().stream().map(e -> e.getKey()).toList()))),
        READ_ONLY_ROOT_FILESYSTEM(pod -> sc(pod).path("readOnlyRootFilesystem").asBoolean(false)),
        TMP_IN_MEMORY(pod -> container(pod).path("volumeMounts").valueStream().filter(m -> "/tmp".equals(m.path("mountPath").asText()))
                .anyMatch(m -> pod.path("volumes").valueStream().anyMatch(v -> v.path("name").equals(m.path("name"))
                        && "Memory".equals(v.path("emptyDir").path("medium").asText()) && v.path("emptyDir").has("sizeLimit"))));

        public final Predicate<ObjectNode> check;

        Rule(Predicate<ObjectNode> check) {
            this.check = check;
        }
    }

    @ParameterizedTest
    @EnumSource(Rule.class)
    void theDeploymentMeetsTheRestrictedProfile(Rule rule) throws IOException {
        assertTrue(rule.check.test(deploymentPod()), rule.name());
    }

    /** The pod spec of the generated Deployment, a fresh copy on each call. */
    public static ObjectNode deploymentPod() throws IOException {
        File file = new File("target/kubernetes/kubernetes.yml");
        YAMLMapper yaml = new YAMLMapper();
        List<JsonNode> deployments = yaml.readValues(yaml.createParser(file), JsonNode.class).readAll().stream()
                .filter(o -> o != null && "Deployment".equals(o.path("kind").asText())).toList();
        assertTrue(deployments.size() == 1, "one Deployment in " + file + " (`./mvnw package` writes it)");
        return (ObjectNode) deployments.get(0).path("spec").path("template").path("spec");
    }

    static JsonNode effective(ObjectNode pod, String field) {
        return sc(pod).has(field) ? sc(pod).path(field) : pod.path("securityContext").path(field); // the container's wins
    }

    public static ObjectNode sc(ObjectNode pod) {
        ObjectNode container = container(pod);
        return container.has("securityContext") ? (ObjectNode) container.get("securityContext") : container.putObject("securityContext");
    }

    public static ObjectNode container(ObjectNode pod) {
        assertTrue(pod.path("containers").size() == 1, "one container: " + pod.path("containers"));
        return (ObjectNode) pod.path("containers").get(0);
    }

    private static List<String> strings(JsonNode array) {
        return array.valueStream().map(JsonNode::asText).toList();
    }
}
