package dev.slipway.starter.platform;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Client mistakes as a JSON {@link ApiError}, not an HTML page or a stack trace. A plain JAX-RS mapper:
 * {@code @ServerExceptionMapper} would load the exception class in Maven's JVM, which may be older.
 */
@Provider
public class ApiErrorMapper implements ExceptionMapper<InvalidInputException> {

    @Override
    public Response toResponse(InvalidInputException e) {
        Response.Status status = Response.Status.BAD_REQUEST;
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError(status.getStatusCode(), status.getReasonPhrase(), e.getMessage())).build();
    }
}
