/**
 * Developer tools in a real browser: a panel docked in view (resizable,
 * collapsible), a bounded, filterable list of SDK calls named by their SDK
 * method, with timestamps, durations, a pending state and labelled request
 * and response blocks (no secret in them); a proxy builder whose GET never
 * sends a body left over from a POST; and code that is complete, plainly
 * written and highlighted only once the code view opens.
 */
import { equal, ok } from "node:assert/strict";
import { choose, field, scenario, shot, startWith } from "./browser.ts";
import { expect } from "./expect.ts";

Deno.test(scenario(
  "developer tools: a docked panel with named, filterable, pending-aware SDK calls; proxy GET sends no body",
  async ({ server, newPage }) => {
    const page = await newPage();
    await startWith(page, server.url, ["slack"], {
      path: "/?tab=run&app=slack&component=slack-send-message",
    });
    await choose(page, "Channel", "#random");

    // The panel opens in view, at the bottom, without scrolling.
    await page.getByRole("button", { name: "Developer tools" }).click();
    const panel = page.getByTestId("devtools");
    await expect(panel).toBeVisible();
    const box = (await panel.boundingBox())!;
    ok(box.y >= 0 && box.y + box.height <= 800 + 1, `panel at y=${box.y}, height ${box.height}`);
    equal(await page.evaluate(() => scrollY), 0, "opening it did not scroll the page");

    // Resizable from the keyboard, collapsible.
    const separator = page.getByRole("separator", { name: "Resize developer tools" });
    await separator.focus();
    await page.keyboard.press("ArrowUp");
    await page.keyboard.press("ArrowUp");
    const taller = (await panel.boundingBox())!;
    ok(taller.height > box.height, `ArrowUp grows the panel (${box.height} → ${taller.height})`);
    await panel.getByRole("button", { name: "Collapse" }).click();
    equal(await page.locator("#devtools-body").isVisible(), false);
    await panel.getByRole("button", { name: "Expand" }).click();
    // Docked to the side it takes the full height at the right, and the page makes room for it.
    await panel.getByRole("button", { name: "Dock to the side" }).click();
    const side = (await panel.boundingBox())!;
    ok(side.x > 600 && side.y <= 1 && side.height >= 799, `side panel at ${JSON.stringify(side)}`);
    const pageRight = await page.locator("main").evaluate((el) => el.getBoundingClientRect().right);
    ok(pageRight <= side.x + 1, `the page (right edge ${pageRight}) is not under the panel (${side.x})`);
    await panel.getByRole("button", { name: "Dock to the bottom" }).click();

    // Calls are named by SDK method, timed and filterable; bodies are labelled and hold no secret.
    const inspector = page.getByTestId("inspector");
    await expect(inspector.getByTestId("sdk-call").filter({ hasText: "components.configureProp" }))
      .toBeVisible();
    await expect(inspector.getByTestId("sdk-call").filter({ hasText: "accounts.list" })).toBeVisible();
    await inspector.getByLabel("Filter").fill("configureProp");
    const shown = await inspector.getByTestId("sdk-call").allTextContents();
    ok(shown.length > 0 && shown.every((t) => t.includes("components.configureProp")), shown.join("\n"));
    const call = inspector.getByTestId("sdk-call").first();
    await call.locator("summary").click();
    await expect(call.locator("time")).toBeVisible();
    await expect(call).toContainText(" ms");
    await expect(call.getByRole("figure").filter({ hasText: "Request" })).toContainText('"prop_name"');
    await expect(call.getByRole("figure").filter({ hasText: "Response" })).toContainText("#random");
    const text = (await inspector.textContent()) ?? "";
    const leak = text.match(/(ctok_|sbx_(at|rt|key|sec|oat)_)[A-Za-z0-9]{6,}/);
    ok(!leak, `no token or secret in the inspector: ${leak?.[0]}`);
    await inspector.getByLabel("Filter").fill("");
    await shot(page, "15-sdk-inspector");

    // A slow call shows as pending until it answers.
    // A slow call (the app picker searching) shows as pending until it answers.
    server.sandbox.faults.add({ match: "/apps", method: "GET", delayMs: 1500, times: 1 });
    await page.getByTestId("select-app").locator("input").fill("acme");
    const slow = inspector.getByTestId("sdk-call").filter({ hasText: "apps.list" }).first();
    await expect(slow).toContainText("pending…", { timeout: 5000 });
    await expect(slow).toContainText(/200\s*browser · \d+ ms/, { timeout: 5000 });
    await page.keyboard.press("Escape");

    // The proxy builder: a body typed for POST is not sent with GET.
    await panel.getByRole("tab", { name: "Proxy" }).click();
    const builder = page.getByTestId("proxy-builder");
    await builder.getByLabel("Method").selectOption("POST");
    await builder.getByLabel("Body (JSON)").fill("{ not json");
    await builder.getByLabel("Method").selectOption("GET");
    await builder.getByLabel("Path").fill("https://slack.com/api/conversations.list");
    await builder.getByRole("button", { name: "Send" }).click();
    const result = builder.getByTestId("proxy-result");
    await expect(result).toContainText("200");
    await expect(result).toContainText("sandbox-alerts");
    await shot(page, "16-proxy-builder");
  },
));

Deno.test(scenario(
  "code view: runnable snippets without raw option wrappers, highlighted once opened",
  async ({ server, newPage }) => {
    const page = await newPage();
    const scripts: string[] = [];
    page.on("request", (r) => r.resourceType() === "script" && scripts.push(r.url()));
    await startWith(page, server.url, ["acme_crm"], {
      path: "/?tab=run&app=acme_crm&component=acme_crm-create-record",
    });
    await choose(page, "Record type", "Deal");
    await field(page, "Deal title").locator("input").fill("Renewal");
    equal(scripts.some((u) => /highlight-/.test(u)), false, "no highlighter before the code is shown");

    await page.getByRole("button", { name: "Show code" }).click();
    const code = page.getByTestId("code");
    await expect(code.locator(".tok-keyword").first()).toBeVisible();
    ok(scripts.some((u) => /highlight-/.test(u)), "the highlighter loads with the code view");
    const react = (await code.textContent()) ?? "";
    for (const part of ["onUpdateDynamicProps", "sdkResponse", "dynamicPropsId", "createFrontendClient"]) {
      ok(react.includes(part), `React code has ${part}`);
    }
    // Every import is used.
    for (const m of react.matchAll(/import \{ ([^}]+) \} from/g)) {
      for (const name of m[1].split(",").map((s) => s.trim())) {
        ok(react.split(name).length > 2, `${name} is imported and used`);
      }
    }
    await page.getByRole("tab", { name: "Server" }).click();
    const server_ = (await code.textContent()) ?? "";
    ok(server_.includes('recordType: "deal", // Deal'), server_);
    ok(server_.includes('dynamicPropsId: "dyp_'), "the run sends the reloaded props' id");
    ok(!server_.includes("__lv"), "option values are written plainly");
    ok(server_.includes('title: "Renewal"'));
    await shot(page, "17-code-view");
  },
));
