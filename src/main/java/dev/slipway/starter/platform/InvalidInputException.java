package dev.slipway.starter.platform;

/** Bad input from a client; answered with 400 and an {@link ApiError} body by {@link ApiErrorMapper}. */
public class InvalidInputException extends RuntimeException {

    public InvalidInputException(String message) {
        super(message);
    }
}
