package io.ticketchat.rest;

import java.util.concurrent.CompletionStage;

/**
 * Handles one route. Called on the event loop, so blocking work (the database) must go to the database
 * executor; the returned stage completes with the response or with an exception that the router maps to a
 * contract error.
 */
@FunctionalInterface
public interface RouteHandler {
    CompletionStage<RestResponse> handle(RestRequest request) throws Exception;
}
