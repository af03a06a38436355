package dev.slipway.starter.platform;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;
import java.time.Instant;

/**
 * The app's own checks, beside those of Quarkus (which include "Graceful Shutdown": readiness
 * turns DOWN for {@code quarkus.shutdown.delay} after SIGTERM so load balancers can drain).
 * <ul>
 * <li>liveness {@code app-live}: the process answers; its uptime as data;</li>
 * <li>readiness {@code app-ready}: startup has finished; the place for checks of what the app
 * depends on (a database, a downstream service) as it grows;</li>
 * <li>startup {@code app-started}: the startup event has been observed.</li>
 * </ul>
 */
@ApplicationScoped
public class AppHealthChecks {

    /**
     * When this bean was made (at startup, by the observer below): the uptime's fallback start. Not a
     * static field: Quarkus has native-image initialize classes at build time, it would hold that.
     */
    private final Instant created = Instant.now();

    private volatile boolean started;

    void onStart(@Observes StartupEvent event) {
        started = true;
    }

    @Produces
    @Liveness
    HealthCheck live() {
        return () -> HealthCheckResponse.named("app-live")
                .up()
                .withData("uptimeMillis", uptimeMillis())
                .build();
    }

    /**
     * The process's uptime from java.base alone: the images' jlink runtime has no java.management
     * (ManagementFactory there fails, and liveness with it).
     */
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
    @org.eclipse.microprofile.health.Startup
    HealthCheck startup() {
        return () -> HealthCheckResponse.named("app-started").status(started).build();
    }
}
