// Entry point: picks the sign-in page, the customer view or the agent console, and follows the address hash.

import "./style.css";
import { AuthResult, isStaff } from "./api";
import { AgentApp } from "./agent";
import { CustomerApp } from "./customer";
import { renderLogin } from "./login";
import { clearSession, Connection, loadSession, saveSession, Session } from "./session";

const root = document.getElementById("app") as HTMLElement;
let app: AgentApp | CustomerApp | null = null;
let connection: Connection | null = null;

function ticketIdFromHash(): string | null {
  const match = /^#\/ticket\/([^/]+)$/.exec(location.hash);
  return match ? decodeURIComponent(match[1]) : null;
}

function signOut(): void {
  app?.destroy();
  app = null;
  connection?.close();
  connection = null;
  clearSession();
  document.body.classList.remove("has-ticket");
  history.replaceState(null, "", "/");
  renderLogin(root, signedIn);
}

function signedIn(result: AuthResult): void {
  saveSession({ token: result.token, user: result.user });
  history.replaceState(null, "", "/");
  start(loadSession() as Session);
}

function start(session: Session): void {
  connection = new Connection(session.token, signOut);
  app = isStaff(session.user.role)
    ? new AgentApp(root, session, connection, signOut)
    : new CustomerApp(root, session, connection, signOut);
  void app.route(ticketIdFromHash());
}

window.addEventListener("hashchange", () => void app?.route(ticketIdFromHash()));

const existing = loadSession();
if (existing) {
  start(existing);
} else {
  renderLogin(root, signedIn);
}
