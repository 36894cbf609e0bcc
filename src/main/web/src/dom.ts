// Builds DOM nodes. Text goes in through text nodes only, so message content never becomes markup.

type Child = Node | string | null | undefined | false;

export interface Props {
  class?: string;
  attrs?: Record<string, string | boolean | undefined>;
  on?: Partial<Record<keyof HTMLElementEventMap, (event: any) => void>>;
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]):
    HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props.class) {
    element.className = props.class;
  }
  for (const [name, value] of Object.entries(props.attrs ?? {})) {
    if (value === true) {
      element.setAttribute(name, "");
    } else if (typeof value === "string") {
      element.setAttribute(name, value);
    }
  }
  for (const [name, listener] of Object.entries(props.on ?? {})) {
    element.addEventListener(name, listener as EventListener);
  }
  append(element, ...children);
  return element;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    parent.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
  }
}

/** Replaces all children of a node. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

/** Returns a URL that is safe to put in a link: http or https only, or null. */
export function safeHttpUrl(value: string): string | null {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

export function formatTime(iso: string): string {
  const date = new Date(iso);
  const sameDay = date.toDateString() === new Date().toDateString();
  return sameDay
    ? date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })
    : date.toLocaleString([], { dateStyle: "short", timeStyle: "short" });
}

let nextId = 0;

/** Returns a fresh id for pairing a label with its input. */
export function uniqueId(prefix: string): string {
  nextId += 1;
  return `${prefix}-${nextId}`;
}

/** Builds a labelled form field; the label is a real label element tied to the control. */
export function field(label: string, control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement):
    HTMLElement {
  if (!control.id) {
    control.id = uniqueId("field");
  }
  return h("div", { class: "field" }, h("label", { attrs: { for: control.id } }, label), control);
}

export function select(options: readonly string[], value: string, name: string): HTMLSelectElement {
  const element = h("select", { attrs: { name } });
  for (const option of options) {
    element.append(h("option", { attrs: { value: option } }, option));
  }
  element.value = value;
  return element;
}
