package dev.slipway.starter.platform;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Turns client mistakes into a JSON {@link ApiError} instead of an HTML page or a stack trace.
 * <p>
 * A plain JAX-RS mapper on purpose: Quarkus reads its type from the index, whereas
 * {@code @ServerExceptionMapper} loads the exception class inside Maven's own JVM during
 * {@code quarkus:build}, which fails when Maven runs on an older JDK than the code targets.
 */
@Provider
public class ApiErrorMapper implements ExceptionMapper<InvalidInputException> {

    @Override
    public Response toResponse(InvalidInputException e) {
        Response.Status status = Response.Status.BAD_REQUEST;
        return Response.status(status)
                .entity(new ApiError(status.getStatusCode(), status.getReasonPhrase(), e.getMessage()))
                .type(MediaType.APPLICATION_JSON_TYPE)
                .build();
    }
}
