package dev.slipway.starter.platform;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.health.Startup;

import java.time.Duration;
import java.time.Instant;

/**
 * The app's checks, beside Quarkus's own ("Graceful Shutdown" turns readiness DOWN after SIGTERM):
 * liveness {@code app-live} with the uptime; readiness {@code app-ready}, the place for checks of what
 * the app depends on (a database, a downstream service); startup {@code app-started}.
 */
@ApplicationScoped
public class AppHealthChecks {

    /** The uptime's fallback start; an instance field, as native-image initializes classes at build time. */
    private final Instant created = Instant.now();
    private volatile boolean started;

    void onStart(@Observes StartupEvent event) {
        started = true;
    }

    @Produces
    @Liveness
    HealthCheck live() {
        return () -> HealthCheckResponse.named("app-live").up().withData("uptimeMillis", uptimeMillis()).build();
    }

    long uptimeMillis() {
        Instant start = ProcessHandle.current().info().startInstant().orElse(created);
        return Math.max(1, Duration.between(start, Instant.now()).toMillis());
    }

    @Produces
    @Readiness
    HealthCheck ready() {
        return () -> HealthCheckResponse.named("app-ready").status(started).build();
    }

    @Produces
    @Startup
    HealthCheck startup() {
        return () -> HealthCheckResponse.named("app-started").status(started).build();
    }
}
