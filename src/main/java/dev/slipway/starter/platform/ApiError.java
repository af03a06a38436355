package dev.slipway.starter.platform;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The JSON body of every error answer. Registered for reflection: only a {@code Response} carries it (docs/native.md). */
@RegisterForReflection
public record ApiError(int status, String error, String message) {}
