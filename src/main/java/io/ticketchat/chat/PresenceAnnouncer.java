package io.ticketchat.chat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ticketchat.db.DbExecutor;
import io.ticketchat.presence.PresenceChange;
import io.ticketchat.presence.PresenceListener;
import io.ticketchat.socketio.Namespace;
import io.ticketchat.text.Timestamps;
import io.ticketchat.user.UserStore;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores presence changes and sends {@code agent_status_update} to every connected client, so a customer's
 * chat shows whether agents are available. The event never carries an email address.
 */
public final class PresenceAnnouncer implements PresenceListener {
    private static final Logger log = LoggerFactory.getLogger(PresenceAnnouncer.class);

    private final Namespace namespace;
    private final UserStore users;
    private final DbExecutor db;
    private final ObjectMapper mapper;

    public PresenceAnnouncer(Namespace namespace, UserStore users, DbExecutor db, ObjectMapper mapper) {
        this.namespace = namespace;
        this.users = users;
        this.db = db;
        this.mapper = mapper;
    }

    @Override
    public void online(PresenceChange change) {
        store(change, () -> users.markOnline(change.userId()));
        announce(change);
    }

    @Override
    public void offline(PresenceChange change) {
        // NOTE: the update goes out while the store is still running, so a client that calls GET /api/agents
        //  within milliseconds of it may still read the previous lastSeenAt. Announcing only after the commit
        //  would break the order of announcements that the tracker's lock gives.
        store(change, () -> users.markOffline(change.userId(), change.at()));
        announce(change);
    }

    @Override
    public void statusChosen(PresenceChange change) {
        announce(change);
    }

    private void store(PresenceChange change, Callable<Boolean> write) {
        db.submit(write).whenComplete((updated, failure) -> {
            if (failure != null) {
                log.warn("presence not stored user={} status={}", change.userId(), change.status().wireName(),
                        Replies.unwrap(failure));
            }
        });
    }

    private void announce(PresenceChange change) {
        ObjectNode event = mapper.createObjectNode();
        event.put("userId", change.userId());
        event.put("userName", change.userName());
        event.put("status", change.status().wireName());
        event.put("timestamp", Timestamps.toWire(change.at()));
        namespace.emit(ServerEvent.AGENT_STATUS_UPDATE.wireName(), event);
    }
}
