package dev.slipway.proof;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Kubernetes manifests quarkus-kubernetes writes at package time (target/kubernetes/kubernetes.yml),
 * as Jackson trees the tests read, and copy to break or adapt (never the real file).
 */
public final class Manifests {

    public static final Path GENERATED = Path.of("target/kubernetes/kubernetes.yml").toAbsolutePath();

    private static final YAMLMapper YAML = new YAMLMapper();

    private Manifests() {
    }

    /** Every object of the generated file, fresh copies on each call. */
    public static List<ObjectNode> generated() {
        if (!Files.isRegularFile(GENERATED)) {
            throw new AssertionError(GENERATED + " is missing: `./mvnw package` (or `make manifests`) writes it");
        }
        return read(GENERATED);
    }

    public static List<ObjectNode> read(Path file) {
        try (var parser = YAML.createParser(file.toFile())) {
            List<ObjectNode> objects = new ArrayList<>();
            YAML.readValues(parser, ObjectNode.class).forEachRemaining(o -> {
                if (o != null && !o.isEmpty()) {
                    objects.add(o);
                }
            });
            return objects;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the objects as one multi-document YAML file. */
    public static Path write(List<? extends JsonNode> objects, Path file) {
        try (var out = YAML.writer().writeValues(file.toFile())) {
            out.writeAll(objects);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The one object of that kind. */
    public static ObjectNode find(List<ObjectNode> objects, String kind) {
        List<ObjectNode> found = objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + kind + " in the manifests, found " + found.size());
        }
        return found.get(0);
    }

    /** The pod spec of a Deployment. */
    public static ObjectNode podSpec(ObjectNode deployment) {
        return (ObjectNode) deployment.path("spec").path("template").path("spec");
    }

    /** The only container of a pod spec (the app). */
    public static ObjectNode container(ObjectNode podSpec) {
        JsonNode containers = podSpec.path("containers");
        if (containers.size() != 1) {
            throw new AssertionError("expected one container, found " + containers.size() + ": " + containers);
        }
        return (ObjectNode) containers.get(0);
    }

    /** A container's port by name ("http", "management"): their order in the manifests is not fixed. */
    public static ObjectNode port(JsonNode container, String name) {
        for (JsonNode port : container.path("ports")) {
            if (name.equals(port.path("name").asText())) {
                return (ObjectNode) port;
            }
        }
        throw new AssertionError("no port " + name + " in " + container.path("ports"));
    }
}
