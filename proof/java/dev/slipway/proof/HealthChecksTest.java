package dev.slipway.proof;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

/** Each health group in detail: which checks it lists, uptime in liveness. (The project's HealthTest: every group is UP.) */
@QuarkusTest
class HealthChecksTest {

    @Test
    void overallHealthIsUpAndListsEveryCheckOfTheApp() {
        given().when().get("/q/health")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("app-live", "app-ready", "app-started"));
    }

    @Test
    void livenessHasTheAppCheckOnly() {
        given().when().get("/q/health/live")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("app-live"))
                .body("checks.name", not(hasItem("app-ready")))
                .body("checks.find { it.name == 'app-live' }.data.uptimeMillis", org.hamcrest.Matchers.greaterThan(0));
    }

    @Test
    void readinessIsUpAndIncludesGracefulShutdown() {
        given().when().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("app-ready", "Graceful Shutdown"))
                .body("checks.find { it.name == 'app-ready' }.status", equalTo("UP"));
    }

    @Test
    void startupIsUp() {
        given().when().get("/q/health/started")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("app-started"));
    }
}
