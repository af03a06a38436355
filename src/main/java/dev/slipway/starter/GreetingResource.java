package dev.slipway.starter;

import dev.slipway.starter.platform.InvalidInputException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /hello[?name=x]}: a greeting. */
@Path("/hello")
public class GreetingResource {

    public static final int MAX_NAME_LENGTH = 100;

    public record Greeting(String message) {}

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Greeting hello(@QueryParam("name") @DefaultValue("world") String name) {
        if (name.isBlank()) {
            throw new InvalidInputException("name must not be blank");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw new InvalidInputException("name must be at most " + MAX_NAME_LENGTH
                    + " characters long, got " + name.length());
        }
        return new Greeting("Hello, " + name + "!");
    }
}
