package io.ticketchat.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ticketchat.auth.AuthService;
import io.ticketchat.db.DbExecutor;
import io.ticketchat.error.ApiException;
import io.ticketchat.error.ErrorCode;
import io.ticketchat.message.HistoryPage;
import io.ticketchat.message.HistoryRequest;
import io.ticketchat.message.Message;
import io.ticketchat.message.MessageService;
import io.ticketchat.message.MessageWriter;
import io.ticketchat.message.SendRequest;
import io.ticketchat.presence.PresenceTracker;
import io.ticketchat.ticket.Ticket;
import io.ticketchat.ticket.TicketPage;
import io.ticketchat.ticket.TicketService;
import io.ticketchat.ticket.TicketUpdate;
import io.ticketchat.user.Role;
import io.ticketchat.user.User;
import io.ticketchat.user.UserStore;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The REST API of the client contract under {@code /api}: accounts, tickets and messages.
 *
 * <p>Every handler runs its work on the bounded database executor, including the token check, because a
 * token for a user not seen before creates that user. A message send then goes to the {@link MessageWriter},
 * like a socket's {@code send_message}.
 */
public final class ApiRoutes {
    private final ObjectMapper mapper;
    private final DbExecutor db;
    private final AuthService authService;
    private final TicketService ticketService;
    private final MessageService messageService;
    private final MessageWriter messageWriter;
    private final Consumer<Message> newMessagePublisher;
    private final UserStore users;
    private final PresenceTracker presence;
    private final Consumer<TicketUpdate<Message>> ticketUpdatePublisher;

    public ApiRoutes(
            ObjectMapper mapper,
            DbExecutor db,
            AuthService authService,
            TicketService ticketService,
            MessageService messageService,
            MessageWriter messageWriter,
            Consumer<Message> newMessagePublisher,
            Consumer<TicketUpdate<Message>> ticketUpdatePublisher,
            UserStore users,
            PresenceTracker presence) {
        this.mapper = mapper;
        this.db = db;
        this.authService = authService;
        this.ticketService = ticketService;
        this.messageService = messageService;
        this.messageWriter = messageWriter;
        this.newMessagePublisher = newMessagePublisher;
        this.users = users;
        this.presence = presence;
        this.ticketUpdatePublisher = ticketUpdatePublisher;
    }

    public void register(Router router) {
        router.add("POST", "/api/auth/register", this::register)
                .add("POST", "/api/auth/login", this::login)
                .add("GET", "/api/me", this::me)
                .add("POST", "/api/users", this::createUser)
                .add("GET", "/api/agents", this::listAgents)
                .add("POST", "/api/tickets", this::createTicket)
                .add("GET", "/api/tickets", this::listTickets)
                .add("GET", "/api/tickets/{id}", this::getTicket)
                .add("PATCH", "/api/tickets/{id}", this::updateTicket)
                .add("GET", "/api/tickets/{id}/messages", this::listMessages)
                .add("POST", "/api/tickets/{id}/messages", this::sendMessage);
    }

    private CompletableFuture<RestResponse> register(RestRequest request) {
        JsonNode body = requireObject(request);
        return run(() -> {
            var result = authService.register(text(body, "email"), text(body, "password"), text(body, "name"));
            return RestResponse.created(authBody(result.token(), result.user()));
        });
    }

    private CompletableFuture<RestResponse> login(RestRequest request) {
        JsonNode body = requireObject(request);
        return run(() -> {
            var result = authService.login(text(body, "email"), text(body, "password"));
            return RestResponse.ok(authBody(result.token(), result.user()));
        });
    }

    private CompletableFuture<RestResponse> me(RestRequest request) {
        return run(() -> RestResponse.ok(userBody(authenticate(request))));
    }

    private CompletableFuture<RestResponse> createUser(RestRequest request) {
        JsonNode body = requireObject(request);
        return run(() -> {
            User admin = authenticate(request);
            Role role = Role.fromWire(text(body, "role"))
                    .filter(Role::isStaff)
                    .orElseThrow(() -> ApiException.invalid("role must be agent, manager or admin"));
            User created = authService.createStaff(admin, text(body, "email"), text(body, "password"),
                    text(body, "name"), role);
            return RestResponse.created(userBody(created));
        });
    }

    private CompletableFuture<RestResponse> listAgents(RestRequest request) {
        return run(() -> {
            if (!authenticate(request).role().isStaff()) {
                throw new ApiException(ErrorCode.FORBIDDEN, "Only staff can list agents");
            }
            ObjectNode body = mapper.createObjectNode();
            ArrayNode agents = body.putArray("agents");
            for (User staff : users.listStaff()) {
                agents.add(Views.agent(mapper, staff, presence.statusOf(staff.id())));
            }
            return RestResponse.ok(body);
        });
    }

    private CompletableFuture<RestResponse> createTicket(RestRequest request) {
        JsonNode body = requireObject(request);
        return run(() -> RestResponse.created(ticketBody(ticketService.create(authenticate(request), body))));
    }

    private CompletableFuture<RestResponse> listTickets(RestRequest request) {
        Integer limit = parseLimit(request.queryParam("limit"));
        return run(() -> {
            TicketPage page = ticketService.list(authenticate(request), request.queryParam("status"),
                    request.queryParam("assigneeId"), request.queryParam("cursor"), limit);
            ObjectNode body = mapper.createObjectNode();
            ArrayNode tickets = body.putArray("tickets");
            page.tickets().forEach(ticket -> tickets.add(ticket.toWire()));
            body.put("nextCursor", page.nextCursor());
            return RestResponse.ok(body);
        });
    }

    private CompletableFuture<RestResponse> getTicket(RestRequest request) {
        return run(() -> RestResponse.ok(ticketBody(
                ticketService.findVisible(authenticate(request), request.pathParam("id")))));
    }

    private CompletableFuture<RestResponse> updateTicket(RestRequest request) {
        JsonNode body = requireObject(request);
        return run(() -> {
            TicketUpdate<Message> update = ticketService.update(authenticate(request), request.pathParam("id"), body,
                    messageService::storeSystemMessage);
            ticketUpdatePublisher.accept(update);
            return RestResponse.ok(ticketBody(update.ticket()));
        });
    }

    private CompletableFuture<RestResponse> listMessages(RestRequest request) {
        HistoryRequest historyRequest = messageService.parseHistoryRequest(request.pathParam("id"),
                request.queryParam("limit"), request.queryParam("before"));
        return run(() -> {
            HistoryPage page = messageService.history(authenticate(request), historyRequest);
            ObjectNode body = mapper.createObjectNode();
            ArrayNode messages = body.putArray("messages");
            page.messages().forEach(message -> messages.add(message.toWire()));
            body.put("hasMore", page.hasMore());
            return RestResponse.ok(body);
        });
    }

    private CompletableFuture<RestResponse> sendMessage(RestRequest request) {
        SendRequest sendRequest = messageService.parseSendRequest(request.pathParam("id"), requireObject(request));
        return db.submit(() -> authenticate(request))
                .thenCompose(sender -> messageWriter.send(sender, sendRequest))
                .thenApply(result -> {
                    if (result.created()) {
                        newMessagePublisher.accept(result.message());
                    }
                    ObjectNode reply = mapper.createObjectNode();
                    reply.set("message", result.message().toWire());
                    return new RestResponse(result.created() ? 201 : 200, reply, null);
                });
    }

    private User authenticate(RestRequest request) {
        String token = request.bearerToken();
        if (token == null) {
            throw new ApiException(ErrorCode.UNAUTHORIZED, "Missing bearer token");
        }
        return authService.authenticate(token);
    }

    private JsonNode requireObject(RestRequest request) {
        JsonNode body = request.jsonBody(mapper);
        if (!body.isObject()) {
            throw ApiException.invalid("Request body must be a JSON object");
        }
        return body;
    }

    /** Returns a string field, or null when it is absent; any other type is invalid. */
    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ApiException.invalid(field + " must be a string");
        }
        return value.asText();
    }

    private static Integer parseLimit(String limit) {
        if (limit == null) {
            return null;
        }
        try {
            int value = Integer.parseInt(limit);
            if (value < 1) {
                throw ApiException.invalid("limit must be a positive integer");
            }
            return value;
        } catch (NumberFormatException e) {
            throw ApiException.invalid("limit must be a positive integer");
        }
    }

    private ObjectNode authBody(String token, User user) {
        ObjectNode body = mapper.createObjectNode();
        body.put("token", token);
        body.set("user", Views.user(mapper, user));
        return body;
    }

    private ObjectNode userBody(User user) {
        ObjectNode body = mapper.createObjectNode();
        body.set("user", Views.user(mapper, user));
        return body;
    }

    private ObjectNode ticketBody(Ticket ticket) {
        ObjectNode body = mapper.createObjectNode();
        body.set("ticket", ticket.toWire());
        return body;
    }

    private CompletableFuture<RestResponse> run(Callable<RestResponse> work) {
        return db.submit(work);
    }
}
