package dev.slipway.starter;

import io.smallrye.health.SmallRyeHealthReporter;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** {@code GET /}: what this service is, and whether it is ready (the same answer as /q/health/ready). */
@Path("/")
public class ServiceInfoResource {

    public record ServiceInfo(String name, String version, String status) {}

    @ConfigProperty(name = "quarkus.application.name")
    String name;

    @ConfigProperty(name = "quarkus.application.version")
    String version;

    @Inject
    SmallRyeHealthReporter health;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public ServiceInfo info() {
        return new ServiceInfo(name, version, health.getReadiness().isDown() ? "DOWN" : "UP");
    }
}
