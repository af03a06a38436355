package dev.slipway.starter.platform;

/** The JSON body of every error answer: the HTTP status, its reason phrase and what was wrong. */
public record ApiError(int status, String error, String message) {
}
