package io.ticketchat.rest;

/**
 * A REST response before it is written: the status and a body that Jackson serializes, or text sent as it
 * is when {@code contentType} is set.
 */
public record RestResponse(int status, Object body, String contentType) {

    public static RestResponse ok(Object body) {
        return new RestResponse(200, body, null);
    }

    public static RestResponse created(Object body) {
        return new RestResponse(201, body, null);
    }

    public static RestResponse text(int status, String text, String contentType) {
        return new RestResponse(status, text, contentType);
    }
}
