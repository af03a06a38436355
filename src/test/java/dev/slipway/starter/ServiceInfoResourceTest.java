package dev.slipway.starter;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class ServiceInfoResourceTest {

    /** The version is the pom's (app.version, set by Surefire): a release build changes it. */
    @Test
    void rootDescribesTheService() {
        given().when().get("/")
                .then()
                .statusCode(200)
                .contentType("application/json")
                .body("name", equalTo("slipway-starter"))
                .body("version", equalTo(System.getProperty("app.version")))
                .body("status", equalTo("UP"));
    }
}
