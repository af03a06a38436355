package dev.slipway.starter.platform;

import dev.slipway.starter.GreetingResourceTest;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;

/** The endpoint tests again, against the packaged app (target/quarkus-app) that Quarkus runs as a process. */
@QuarkusIntegrationTest
@TestProfile(PackagedAppIT.FreeManagementPort.class)
class PackagedAppIT extends GreetingResourceTest {

    /** Quarkus gives the API a free port; the metrics need one too (beside a fixed 9000, Quarkus 3.34 never gets ready). */
    public static class FreeManagementPort implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.management.port", "0");
        }
    }
}
