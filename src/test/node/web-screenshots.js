"use strict";
// Takes the README's screenshots from a server started with --demo:
//   node web-screenshots.js http://127.0.0.1:8080 ../../../docs
// It signs in as the demo customer and the demo agent, exchanges a few messages and saves PNG files.
const path = require("path");
const { launchBrowser } = require("./browser");

const base = process.argv[2] || "http://127.0.0.1:8080";
const outDir = path.resolve(process.argv[3] || ".");

async function signIn(page, email, password) {
  await page.goto(base + "/");
  const form = page.getByRole("form", { name: "Sign in" });
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Password").fill(password);
  await form.getByRole("button", { name: "Sign in" }).click();
}

async function send(page, text) {
  await page.getByLabel("Message", { exact: true }).fill(text);
  await page.keyboard.press("Enter");
  await page.locator(".message.own .content", { hasText: text }).last().waitFor();
}

async function main() {
  const browser = await launchBrowser();
  try {
    const customer = await (await browser.newContext({ viewport: { width: 1100, height: 720 } })).newPage();
    const agent = await (await browser.newContext({ viewport: { width: 1280, height: 760 } })).newPage();
    await signIn(customer, "demo-customer@example.com", "demo-customer-password");
    await customer.locator(".ticket-row").first().click();
    await customer.locator(".message").first().waitFor();
    await signIn(agent, "demo-agent@example.com", "demo-agent-password");
    await agent.locator(".ticket-row").first().click();
    await agent.locator(".message").first().waitFor();

    await send(customer, "Hi! My order #1042 has not arrived yet.\nIt was due on Monday.");
    await send(agent, "Sorry about that. I am checking with the courier now.");
    await customer.getByText("Sorry about that").waitFor();
    await agent.getByText("Seen").waitFor();
    await customer.getByLabel("Message", { exact: true }).pressSequentially("Thank you, I will wait", { delay: 20 });
    await agent.getByText("is typing").waitFor();

    await agent.screenshot({ path: path.join(outDir, "agent-console.png") });
    await customer.screenshot({ path: path.join(outDir, "customer-chat.png") });
    await customer.setViewportSize({ width: 375, height: 740 });
    // A phone opens the chat scrolled to the newest message; a resized window keeps its old scroll position.
    await customer.locator(".message-scroller").evaluate((element) => {
      element.scrollTop = element.scrollHeight;
    });
    await customer.screenshot({ path: path.join(outDir, "customer-phone.png") });
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
