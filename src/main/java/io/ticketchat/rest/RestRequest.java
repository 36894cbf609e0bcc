package io.ticketchat.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.ticketchat.error.ApiException;
import java.util.List;
import java.util.Map;

/**
 * One REST request after routing: path parameters, query parameters, the bearer token and the body.
 *
 * <p>The body is copied out of Netty's buffer before the handler runs, because handlers finish on the
 * database executor after the pooled buffer has been released.
 */
public record RestRequest(
        String method,
        String path,
        Map<String, String> pathParams,
        Map<String, List<String>> queryParams,
        String authorization,
        byte[] body) {

    private static final String BEARER_PREFIX = "Bearer ";

    public String pathParam(String name) {
        return pathParams.get(name);
    }

    /** Returns the first value of a query parameter, or null when it is absent. */
    public String queryParam(String name) {
        List<String> values = queryParams.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Returns the token of an {@code Authorization: Bearer} header, or null when there is none. */
    public String bearerToken() {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER_PREFIX, 0, BEARER_PREFIX.length())) {
            return null;
        }
        String token = authorization.substring(BEARER_PREFIX.length()).trim();
        return token.isEmpty() ? null : token;
    }

    /**
     * Parses the body as JSON; an empty body is JSON null.
     *
     * @throws ApiException {@code invalid_request} when the body is not exactly one JSON value, or has an object
     *     with the same key twice
     */
    public JsonNode jsonBody(ObjectMapper mapper) {
        if (body.length == 0) {
            return NullNode.getInstance();
        }
        try {
            JsonNode node = mapper.reader()
                    .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                    .readTree(body);
            return node == null ? NullNode.getInstance() : node;
        } catch (JsonProcessingException e) {
            throw ApiException.invalid("Request body is not valid JSON");
        } catch (java.io.IOException e) {
            throw ApiException.invalid("Request body could not be read");
        }
    }
}
