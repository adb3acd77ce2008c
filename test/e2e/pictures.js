#!/usr/bin/env node
/*
 * `npm run pictures`: the README's picture of each template, taken from the real n8n editor. Starts n8n 2.x with the
 * templates imported, opens each in headless Chromium and saves the canvas to docs/templates/<template>.png.
 * Needs a Chromium: CHROMIUM_PATH, or the system's chromium (Debian: `apt-get install chromium`).
 */
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { chromium } = require('playwright-core');

const localN8n = require('./local-n8n.js');

const REPO = path.resolve(__dirname, '..', '..');
const OUT = path.join(REPO, 'docs', 'templates');

function browserPath() {
	const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
	const found = candidates.find((candidate) => candidate && fs.existsSync(candidate));
	if (!found) throw new Error('no Chromium found: set CHROMIUM_PATH or install chromium');
	return found;
}

async function main() {
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'payment-events-pictures-'));
	localN8n.ensureRuntime(2);
	localN8n.installPackage(userFolder);
	const instance = await localN8n.startN8n({ userFolder, line: 2, port: 5760, quiet: true });
	const browser = await chromium.launch({ executablePath: browserPath(), args: ['--no-sandbox'] });
	try {
		const imported = await localN8n.importWorkflows(instance, path.join(REPO, 'workflows'));
		const page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, deviceScaleFactor: 1 });
		await page.goto(`${instance.baseUrl}/signin`);
		await page.fill('input[type="email"], input[name="emailOrLdapLoginId"], input[name="email"]', instance.owner.email);
		await page.fill('input[type="password"]', instance.owner.password);
		await page.keyboard.press('Enter');
		await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 30_000 });
		fs.mkdirSync(OUT, { recursive: true });
		for (const workflow of imported) {
			await page.goto(`${instance.baseUrl}/workflow/${workflow.id}`);
			await page.waitForSelector('[data-test-id="canvas-node"]', { timeout: 30_000 });
			// Close whatever the editor opens on first visit, then fit the whole workflow in view.
			await page.keyboard.press('Escape');
			await page.waitForTimeout(1000);
			const fit = page.locator('[data-test-id="zoom-to-fit"]');
			if (await fit.count()) await fit.first().click();
			else await page.keyboard.press('1');
			await page.waitForTimeout(1500);
			const canvas = page.locator('[data-test-id="canvas"]').first();
			const file = path.join(OUT, workflow.file.replace(/\.json$/, '.png'));
			await ((await canvas.count()) ? canvas : page).screenshot({ path: file });
			process.stderr.write(`[pictures] ${path.relative(REPO, file)}\n`);
		}
	} finally {
		await browser.close();
		await instance.stop();
		fs.rmSync(userFolder, { recursive: true, force: true });
	}
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exit(1);
});
