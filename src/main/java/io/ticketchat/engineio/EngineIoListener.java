package io.ticketchat.engineio;

/**
 * Receives every new Engine.IO session of one endpoint.
 *
 * <p>Called on the session's event loop right after the handshake, before any message of the session is
 * delivered; the listener installs the session's {@link EngineIoSession.Handler} there.
 */
@FunctionalInterface
public interface EngineIoListener {
    void onOpen(EngineIoSession session);
}
