import { h } from "./dom";
import type { Session } from "./session";

export function topbar(session: Session, signOut: () => void, ...extra: HTMLElement[]): HTMLElement {
  const signOutButton = h("button", { attrs: { type: "button" } }, "Sign out");
  signOutButton.addEventListener("click", signOut);
  return h("header", { class: "topbar" },
    h("h1", {}, h("a", { attrs: { href: "#/" } }, "TicketChat")),
    h("div", { class: "topbar-tools" },
      ...extra,
      h("span", { class: "whoami" }, `${session.user.name} (${session.user.role})`),
      signOutButton));
}
