package dev.slipway.starter.platform;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

@QuarkusTest
class HealthTest {

    @ParameterizedTest
    @CsvSource({"/q/health, app-ready", "/q/health/live, app-live", "/q/health/ready, Graceful Shutdown", "/q/health/started, app-started"})
    void everyHealthGroupIsUpWithItsChecks(String path, String check) {
        given().get(path).then().statusCode(200).body("status", equalTo("UP")).body("checks.name", hasItem(check));
    }
}
