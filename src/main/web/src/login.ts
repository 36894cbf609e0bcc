// The start page: sign in, or register a customer account.

import { ApiError, AuthResult, describeError, login, register } from "./api";
import { field, h } from "./dom";

export function renderLogin(root: HTMLElement, onSignedIn: (result: AuthResult) => void): void {
  const signIn = authForm("Sign in", "Sign in", [
    ["Email", input("email", "email", "username")],
    ["Password", input("password", "password", "current-password")],
  ], (values) => login(values.email, values.password), onSignedIn);
  const registerForm = authForm("New customer? Create an account", "Create account", [
    ["Your name", input("name", "text", "name")],
    ["Email", input("email", "email", "email")],
    ["Password (8 characters or more)", input("password", "password", "new-password", 8)],
  ], (values) => register(values.name, values.email, values.password), onSignedIn);
  root.replaceChildren(
    h("header", { class: "topbar" }, h("h1", {}, "TicketChat")),
    h("main", { class: "login", attrs: { id: "main" } },
      h("p", { class: "lead" }, "Talk to the support desk live. Sign in to see your tickets."),
      h("div", { class: "login-forms" }, signIn, registerForm)));
  (signIn.querySelector("input") as HTMLInputElement).focus();
}

function input(name: string, type: string, autocomplete: string, minLength = 0): HTMLInputElement {
  const element = h("input", { attrs: { name, type, autocomplete, required: true } });
  if (minLength > 0) {
    element.minLength = minLength;
  }
  return element;
}

function authForm(title: string, action: string, fields: [string, HTMLInputElement][],
    submit: (values: Record<string, string>) => Promise<AuthResult>, onSignedIn: (result: AuthResult) => void):
    HTMLFormElement {
  const error = h("p", { class: "form-error", attrs: { role: "alert" } });
  const button = h("button", { class: "primary", attrs: { type: "submit" } }, action);
  const heading = h("h2", {}, title);
  const form = h("form", { class: "card", attrs: { "aria-label": title } }, heading,
    ...fields.map(([label, control]) => field(label, control)), button, error);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const values: Record<string, string> = {};
    fields.forEach(([, control]) => {
      values[control.name] = control.value;
    });
    button.disabled = true;
    error.textContent = "";
    try {
      onSignedIn(await submit(values));
    } catch (failure) {
      error.textContent = failure instanceof ApiError
        ? (failure.code === "unauthorized" ? "Wrong email or password." : describeError(failure.code,
          failure.message))
        : "Something went wrong. Try again.";
    } finally {
      button.disabled = false;
    }
  });
  return form;
}
