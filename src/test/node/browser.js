"use strict";
// Starts Debian's Chromium through playwright-core. Playwright never downloads a browser here: the executable
// path is fixed, and the flags keep Chromium from calling out to Google's services on a closed network.
const fs = require("fs");
const { chromium } = require("playwright-core");

const CHROMIUM = process.env.TICKETCHAT_CHROMIUM || "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/**
 * Launches Chromium. Playwright's launch() gives every browser a fresh, empty user-data folder of its own and
 * deletes it on close, so no profile is shared between runs.
 */
async function launchBrowser() {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}; install Debian's package: apt-get install -y chromium`);
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS, timeout: 30_000 });
}

module.exports = { launchBrowser };
