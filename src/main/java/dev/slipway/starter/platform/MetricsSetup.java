package dev.slipway.starter.platform;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;

/**
 * What Quarkus has no property for: the {@code application} tag on every metric, and fixed latency
 * buckets on the HTTP server timer, which add up across replicas for SLO queries (docs/observability.md).
 */
public class MetricsSetup {

    /** Upper bounds of the latency buckets, in milliseconds (Prometheus adds +Inf). */
    static final long[] SLO_BUCKETS_MILLIS = {5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000};

    @Produces
    @Singleton
    MeterFilter applicationTag(@ConfigProperty(name = "quarkus.application.name") String application) {
        return MeterFilter.commonTags(List.of(Tag.of("application", application)));
    }

    @Produces
    @Singleton
    MeterFilter httpServerLatencyBuckets() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!id.getName().equals("http.server.requests")) {
                    return config;
                }
                double[] bounds = LongStream.of(SLO_BUCKETS_MILLIS).mapToDouble(ms -> Duration.ofMillis(ms).toNanos()).toArray();
                return DistributionStatisticConfig.builder().serviceLevelObjectives(bounds).build().merge(config);
            }
        };
    }
}
