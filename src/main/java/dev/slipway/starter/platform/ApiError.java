package dev.slipway.starter.platform;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The JSON body of every error answer: the HTTP status, its reason phrase and what was wrong.
 * <p>
 * Registered for reflection because it reaches Jackson only as the entity of a {@code Response}
 * (ApiErrorMapper): Quarkus registers the return types of resource methods by itself, not these,
 * and a native executable could not serialize it otherwise.
 */
@RegisterForReflection
public record ApiError(int status, String error, String message) {
}
