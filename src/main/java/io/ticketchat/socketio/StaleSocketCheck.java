package io.ticketchat.socketio;

import io.ticketchat.audit.AuditCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit check of a namespace's socket map: a socket that is in it although disconnected, or that is
 * connected although its Engine.IO session closed. Both looks read the socket on its event loop.
 */
final class StaleSocketCheck implements AuditCheck<SocketIoSocket> {
    private static final Logger log = LoggerFactory.getLogger(StaleSocketCheck.class);
    private static final long LOOP_TIMEOUT_SECONDS = 5;

    private final Namespace namespace;

    StaleSocketCheck(Namespace namespace) {
        this.namespace = namespace;
    }

    @Override
    public String kind() {
        return "socket";
    }

    @Override
    public List<SocketIoSocket> findStale() {
        List<SocketIoSocket> stale = new ArrayList<>();
        for (SocketIoSocket socket : namespace.sockets()) {
            if (callOnLoop(socket, socket::isStale)) {
                stale.add(socket);
            }
        }
        return stale;
    }

    @Override
    public boolean repairIfStale(SocketIoSocket socket) {
        return callOnLoop(socket, socket::releaseIfStale);
    }

    /** Runs {@code task} on the socket's event loop and waits; false when the loop did not answer in time. */
    static boolean callOnLoop(SocketIoSocket socket, Callable<Boolean> task) {
        try {
            return socket.eventLoop().submit(task).get(LOOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            log.debug("socket not audited socket={} error={}", socket.id(), e.toString());
            return false;
        }
    }
}
