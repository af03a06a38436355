package dev.slipway.starter;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
public class GreetingResourceTest {

    @Test
    void greetsTheWorldByDefault() {
        given().get("/hello").then().statusCode(200).contentType("application/json").body("message", equalTo("Hello, world!"));
    }

    @Test
    void greetsByName() {
        given().queryParam("name", "Ada").get("/hello").then().statusCode(200).body("message", equalTo("Hello, Ada!"));
    }

    @Test
    void acceptsANameOf100CharactersAndRejectsALongerOneWithAJsonError() {
        given().queryParam("name", "n".repeat(100)).get("/hello").then().statusCode(200).body("message", equalTo("Hello, " + "n".repeat(100) + "!"));
        given().queryParam("name", "n".repeat(101)).get("/hello").then().statusCode(400).contentType("application/json")
                .body("status", equalTo(400)).body("error", equalTo("Bad Request")).body("message", containsString("at most 100 characters"));
    }

    @Test
    void rejectsABlankName() {
        given().queryParam("name", "  ").get("/hello").then().statusCode(400).contentType("application/json")
                .body("message", equalTo("name must not be blank"));
    }

    @Test
    void rootDescribesTheService() {
        given().get("/").then().statusCode(200).contentType("application/json").body("name", equalTo("slipway-starter"))
                .body("version", equalTo(System.getProperty("app.version"))).body("status", equalTo("UP"));
    }
}
