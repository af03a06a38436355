package dev.slipway.proof;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The OpenTelemetry SDK's in-memory exporter as a CDI bean: Quarkus hands every finished span to it,
 * so the tests see the app's spans without a collector (as the Quarkus OpenTelemetry guide tests do).
 */
public class InMemorySpans {

    @Produces
    @Singleton
    InMemorySpanExporter inMemorySpanExporter() {
        return InMemorySpanExporter.create();
    }
}
