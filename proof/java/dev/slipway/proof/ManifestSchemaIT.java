package dev.slipway.proof;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.starter.testing.ContainerEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.slipway.proof.Manifests.find;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every object of the generated manifests (target/kubernetes/kubernetes.yml) validates against the
 * Kubernetes schemas (kubernetes-models, with Node: proof/node/validate-manifests.mjs); a broken
 * copy does not. The restricted-profile rules are the project's own KubernetesManifestsIT.
 */
class ManifestSchemaIT {

    @Test
    void everyObjectValidatesAgainstTheKubernetesSchemas() {
        ContainerEngine.Result result = NodeTools.node("validate-manifests.mjs", Manifests.GENERATED.toString());
        assertEquals(0, result.exit(), result.out() + result.err());
        for (String object : List.of("apps/v1 Deployment", "v1 Service", "policy/v1 PodDisruptionBudget",
                "autoscaling/v2 HorizontalPodAutoscaler")) {
            assertThat(result.out(), containsString("ok " + object + " "));
        }
    }

    @Test
    void theValidatorCatchesAWrongType(@TempDir Path dir) {
        List<ObjectNode> objects = Manifests.generated();
        ((ObjectNode) find(objects, "Deployment").path("spec")).put("replicas", "two");
        ContainerEngine.Result result = NodeTools.node("validate-manifests.mjs", Manifests.write(objects, dir.resolve("k.yml")).toString());
        assertEquals(1, result.exit(), result.out() + result.err());
        assertThat(result.err(), containsString("INVALID apps/v1 Deployment " + find(objects, "Deployment").path("metadata").path("name").asText()
                + ": data/spec/replicas must be integer"));
    }

    @Test
    void theValidatorCatchesAMissingSelector(@TempDir Path dir) {
        List<ObjectNode> objects = Manifests.generated();
        ((ObjectNode) find(objects, "Deployment").path("spec")).remove("selector");
        ContainerEngine.Result result = NodeTools.node("validate-manifests.mjs", Manifests.write(objects, dir.resolve("k.yml")).toString());
        assertEquals(1, result.exit(), result.out() + result.err());
        assertThat(result.err(), containsString("data/spec must have required property selector"));
    }
}
