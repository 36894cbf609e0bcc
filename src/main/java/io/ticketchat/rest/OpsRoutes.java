package io.ticketchat.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.ticketchat.db.Database;
import io.ticketchat.db.DbExecutor;
import java.util.concurrent.CompletableFuture;

/**
 * Health and metrics endpoints for operators and load balancers. {@code /metrics} is open to anyone, so
 * production binds it privately or puts it behind a proxy rule.
 */
public final class OpsRoutes {
    private static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final ObjectMapper mapper;
    private final Database database;
    private final DbExecutor db;
    private final PrometheusMeterRegistry registry;

    public OpsRoutes(ObjectMapper mapper, Database database, DbExecutor db, PrometheusMeterRegistry registry) {
        this.mapper = mapper;
        this.database = database;
        this.db = db;
        this.registry = registry;
    }

    public void register(Router router) {
        router.add("GET", "/health/live", request -> CompletableFuture.completedFuture(RestResponse.ok(status("ok"))))
                .add("GET", "/health/ready", request -> ready())
                .add("GET", "/metrics", request -> CompletableFuture.completedFuture(
                        RestResponse.text(200, registry.scrape(), PROMETHEUS_CONTENT_TYPE)));
    }

    private CompletableFuture<RestResponse> ready() {
        return db.submit(() -> {
            database.ping();
            return true;
        }).handle((reachable, failure) -> failure == null
                ? RestResponse.ok(status("ok"))
                : new RestResponse(503, status("database unavailable"), null));
    }

    private ObjectNode status(String status) {
        ObjectNode body = mapper.createObjectNode();
        body.put("status", status);
        return body;
    }
}
