package dev.slipway.proof;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

/**
 * Routes that only the @QuarkusTests have (test classes are part of the app they start): one with a
 * path parameter, to see its route template in metrics and spans, and one that fails unexpectedly,
 * to see the error logged with its exception.
 */
@Path("/test-routes")
public class TestRoutes {

    @GET
    @Path("/items/{id}")
    public String item(@PathParam("id") String id) {
        return "item " + id;
    }

    @GET
    @Path("/failing/{id}")
    public String failing(@PathParam("id") String id) {
        throw new IllegalStateException("test failure for item " + id);
    }
}
