package dev.slipway.starter;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class GreetingResourceTest {

    @Test
    void greetsTheWorldByDefault() {
        given().when().get("/hello")
                .then()
                .statusCode(200)
                .contentType("application/json")
                .body("message", equalTo("Hello, world!"));
    }

    @Test
    void greetsByName() {
        given().queryParam("name", "Ada").when().get("/hello")
                .then()
                .statusCode(200)
                .body("message", equalTo("Hello, Ada!"));
    }

    @Test
    void acceptsANameOfTheMaximumLength() {
        String name = "n".repeat(GreetingResource.MAX_NAME_LENGTH);
        given().queryParam("name", name).when().get("/hello")
                .then()
                .statusCode(200)
                .body("message", equalTo("Hello, " + name + "!"));
    }

    @Test
    void rejectsATooLongNameWithAJsonError() {
        given().queryParam("name", "n".repeat(GreetingResource.MAX_NAME_LENGTH + 1)).when().get("/hello")
                .then()
                .statusCode(400)
                .contentType("application/json")
                .body("status", equalTo(400))
                .body("error", equalTo("Bad Request"))
                .body("message", containsString("at most 100 characters"));
    }

    @Test
    void rejectsABlankName() {
        given().queryParam("name", "  ").when().get("/hello")
                .then()
                .statusCode(400)
                .contentType("application/json")
                .body("message", equalTo("name must not be blank"));
    }
}
