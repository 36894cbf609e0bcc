"use strict";
// The browser scenario of the web pages, run by WebPagesBrowserTest against a TestServer:
//   node web-pages-test.js BASE_URL AGENT_EMAIL AGENT_PASSWORD SCREENSHOT_DIR
// Every line on stdout is JSON: {"type":"step","name"} as steps pass, {"type":"restart"} when the server
// should restart on the same port (the test replies with a line "restarted" on stdin), then {"type":"done"}.
// A failed step prints {"type":"fail","step","message"} and exits with status 1.
const path = require("path");
const readline = require("readline");
const { launchBrowser } = require("./browser");

const [base, agentEmail, agentPassword, screenshotDir] = process.argv.slice(2);
const TIMEOUT_MS = 10_000;
const MARKUP = "<img src=x onerror=alert(1)> and <script>window.injected = 1</script>";
let currentStep = "start";
const dialogs = [];

function report(message) {
  process.stdout.write(JSON.stringify(message) + "\n");
}

async function step(name, body) {
  currentStep = name;
  await body();
  report({ type: "step", name });
}

function assert(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

const stdinLines = readline.createInterface({ input: process.stdin });
function nextStdinLine() {
  return new Promise((resolve) => stdinLines.once("line", resolve));
}

async function newPage(browser, width, height) {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT_MS);
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  // Only the server under test may be reached.
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === "127.0.0.1") {
      return route.continue();
    }
    return route.abort();
  });
  return page;
}

function composer(page) {
  return page.getByLabel("Message", { exact: true });
}

function messages(page, text) {
  return page.locator(".messages .content").filter({ hasText: text });
}

async function run(browser) {
  const customer = await newPage(browser, 1100, 760);
  const agent = await newPage(browser, 1280, 800);
  const customerEmail = `ada-${Date.now()}@example.test`;

  await step("customer registers", async () => {
    await customer.goto(base + "/");
    const form = customer.getByRole("form", { name: "New customer? Create an account" });
    await form.getByLabel("Your name").fill("Ada");
    await form.getByLabel("Email").fill(customerEmail);
    await form.getByLabel("Password (8 characters or more)").fill("correct horse battery");
    await form.getByRole("button", { name: "Create account" }).click();
    await customer.getByRole("heading", { name: "My tickets" }).waitFor();
  });

  await step("customer opens a ticket", async () => {
    await customer.getByRole("button", { name: "Open a ticket" }).click();
    await customer.getByLabel("Subject").fill("Printer on fire");
    await customer.getByLabel("What happened?").fill("It smells of toast");
    await customer.getByRole("button", { name: "Open ticket" }).click();
    await customer.getByRole("heading", { name: "Printer on fire" }).waitFor();
    await customer.locator(".active-users", { hasText: "Ada" }).waitFor();
  });

  await step("customer sends with Enter and Shift+Enter", async () => {
    await composer(customer).click();
    await customer.keyboard.type("Hello, the printer is on fire");
    await customer.keyboard.press("Enter");
    await messages(customer, "Hello, the printer is on fire").waitFor();
    await customer.keyboard.type("line one");
    await customer.keyboard.press("Shift+Enter");
    await customer.keyboard.type("line two");
    assert((await composer(customer).inputValue()) === "line one\nline two", "Shift+Enter did not add a line");
    await customer.keyboard.press("Enter");
    await messages(customer, "line two").waitFor();
    await customer.locator(".message.own .delivery", { hasText: "Sent" }).first().waitFor();
    const multiLine = await messages(customer, "line two").textContent();
    assert(multiLine === "line one\nline two", `multi-line message shows as ${JSON.stringify(multiLine)}`);
    assert(await messages(customer, "Hello, the printer is on fire").count() === 1, "own message shown twice");
  });

  await step("agent signs in with the keyboard only", async () => {
    await agent.goto(base + "/");
    await agent.keyboard.type(agentEmail);
    await agent.keyboard.press("Tab");
    await agent.keyboard.type(agentPassword);
    await agent.keyboard.press("Enter");
    await agent.getByRole("heading", { name: "Tickets" }).waitFor();
    const row = agent.locator(".ticket-row", { hasText: "Printer on fire" });
    await row.locator(".unread", { hasText: "2" }).waitFor();
    let focused = false;
    for (let i = 0; i < 30 && !focused; i++) {
      await agent.keyboard.press("Tab");
      focused = await row.evaluate((element) => element === document.activeElement);
    }
    assert(focused, "the ticket row cannot be reached with Tab");
    await agent.keyboard.press("Enter");
    await agent.getByRole("heading", { name: "Printer on fire" }).waitFor();
    await messages(agent, "line two").waitFor();
    await agent.locator(".staff-list", { hasText: "online" }).waitFor();
  });

  await step("agent sees a new message live", async () => {
    await composer(customer).fill("Are you there?");
    await composer(customer).press("Enter");
    await messages(agent, "Are you there?").waitFor();
  });

  await step("customer sees the agent typing", async () => {
    await composer(agent).click();
    await agent.keyboard.type("Coming", { delay: 30 });
    await customer.locator(".typing", { hasText: "Grace is typing" }).waitFor();
  });

  await step("agent reply is seen by the customer", async () => {
    await agent.keyboard.type(" with a bucket");
    await agent.keyboard.press("Enter");
    await messages(customer, "Coming with a bucket").waitFor();
    await customer.locator(".typing", { hasText: "Grace is typing" }).waitFor({ state: "hidden" });
    await agent.locator(".message.own .delivery", { hasText: "Seen" }).waitFor();
    await customer.locator(".message.own .delivery", { hasText: "Seen" }).waitFor();
  });

  await step("markup shows as text", async () => {
    await composer(customer).fill(MARKUP);
    await composer(customer).press("Enter");
    await messages(agent, "<img src=x onerror=alert(1)>").waitFor();
    const shown = await messages(agent, "<script>").textContent();
    assert(shown === MARKUP, `markup shows as ${JSON.stringify(shown)}`);
    assert(await agent.locator(".messages img, .messages script").count() === 0, "markup became elements");
    assert(await agent.evaluate(() => window.injected === undefined), "an injected script ran");
    assert(dialogs.length === 0, `a dialog opened: ${dialogs.join(", ")}`);
  });

  await step("status change reaches the customer at once", async () => {
    await agent.getByLabel("Status", { exact: true }).selectOption("pending");
    await customer.locator(".chat-header .badge", { hasText: "pending" }).waitFor();
    await agent.locator(".ticket-row .badge", { hasText: "pending" }).waitFor();
    await messages(customer, "Status changed from open to pending by Grace").waitFor();
  });

  await step("too long message is explained", async () => {
    await composer(customer).fill("x".repeat(10_001));
    await composer(customer).press("Enter");
    await customer.locator(".composer-error", { hasText: "too long" }).waitFor();
  });

  await step("screenshots at desktop and phone width", async () => {
    await agent.screenshot({ path: path.join(screenshotDir, "agent-console.png") });
    await composer(customer).fill("");
    await customer.screenshot({ path: path.join(screenshotDir, "customer-chat.png") });
    await customer.setViewportSize({ width: 375, height: 740 });
    const overflow = await customer.evaluate(() => document.documentElement.scrollWidth);
    assert(overflow <= 375, `the page is ${overflow} px wide at a 375 px viewport`);
    await composer(customer).waitFor();
    await customer.screenshot({ path: path.join(screenshotDir, "customer-phone.png") });
    await customer.setViewportSize({ width: 1100, height: 760 });
  });

  await step("pages reconnect after a restart", async () => {
    report({ type: "restart" });
    await customer.locator("#status-banner", { hasText: "Reconnecting" }).waitFor();
    const answer = await nextStdinLine();
    assert(answer === "restarted", `unexpected answer from the test: ${answer}`);
    await customer.locator("#status-banner").waitFor({ state: "hidden", timeout: 20_000 });
    await agent.locator("#status-banner").waitFor({ state: "hidden", timeout: 20_000 });
    await messages(customer, "Sent while the pages were offline").waitFor();
    await messages(customer, "Hello, the printer is on fire").waitFor();
    await composer(customer).fill("Back again");
    await composer(customer).press("Enter");
    await messages(agent, "Back again").waitFor();
  });

  await step("reload shows the history", async () => {
    await customer.reload();
    await messages(customer, "Coming with a bucket").waitFor();
    assert(await messages(customer, "Back again").count() === 1, "message missing or doubled after reload");
  });
}

async function main() {
  const browser = await launchBrowser();
  try {
    await run(browser);
    report({ type: "done" });
  } finally {
    await browser.close();
    stdinLines.close();
  }
}

main().catch((error) => {
  report({ type: "fail", step: currentStep, message: String(error && error.stack || error) });
  process.exit(1);
});
