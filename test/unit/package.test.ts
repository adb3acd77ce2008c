import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const packageJson = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

function sourceFiles(dir: string, suffix: string): string[] {
	return (fs.readdirSync(path.join(ROOT, dir), { recursive: true }) as string[])
		.filter((file) => file.endsWith(suffix))
		.map((file) => path.join(dir, file).split(path.sep).join('/'));
}

const distPath = (source: string) => `dist/${source.replace(/\.ts$/, '.js')}`;

describe('package.json', () => {
	it('is an n8n community package that n8n can load by name', () => {
		expect(packageJson.name).toMatch(/^n8n-nodes-/);
		expect(packageJson.keywords).toContain('n8n-community-node-package');
		expect(packageJson.n8n.n8nNodesApiVersion).toBe(1);
		expect(packageJson.files).toEqual(['dist']);
	});

	it('registers every node and credential under dist/, and nothing else', () => {
		expect([...packageJson.n8n.nodes].sort()).toEqual(sourceFiles('nodes', '.node.ts').map(distPath).sort());
		expect([...packageJson.n8n.credentials].sort()).toEqual(
			sourceFiles('credentials', '.credentials.ts').map(distPath).sort(),
		);
	});

	it('keeps n8n-workflow a peer dependency, never bundled', () => {
		expect(packageJson.peerDependencies).toHaveProperty('n8n-workflow');
		expect(packageJson.dependencies ?? {}).not.toHaveProperty('n8n-workflow');
		expect(Object.keys(packageJson.dependencies ?? {}).sort()).toEqual(['fast-xml-parser', 'handlebars', 'libphonenumber-js', 'nodemailer', 'zod']);
	});

	it('names an icon file next to each node that exists in the source tree', () => {
		for (const nodeFile of sourceFiles('nodes', '.node.ts')) {
			const source = fs.readFileSync(path.join(ROOT, nodeFile), 'utf8');
			const icons = [...source.matchAll(/'file:([^']+)'/g)].map((match) => match[1]);
			expect(icons.length).toBeGreaterThan(0);
			for (const icon of icons) expect(fs.existsSync(path.join(ROOT, path.dirname(nodeFile), icon))).toBe(true);
		}
	});
});

describe('thin-notification providers and their credentials', () => {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { apiBaseUrl } = require('../../nodes/providers/common') as typeof import('../../nodes/providers/common');
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { PROVIDERS } = require('../../nodes/providers/index') as typeof import('../../nodes/providers/index');
	const credentialNames = sourceFiles('credentials', '.credentials.ts').map((file) => {
		const source = fs.readFileSync(path.join(ROOT, file), 'utf8');
		return /name = '([^']+)'/.exec(source)?.[1];
	});

	it.each(PROVIDERS.filter((adapter) => adapter.complete).map((adapter) => [adapter.id, adapter]))(
		'%s names a credential of this package to complete its notifications with',
		(_id, adapter) => {
			expect(adapter.api).toBeDefined();
			expect(credentialNames).toContain(adapter.api!.credentialType);
			for (const host of Object.values(adapter.api!.hosts)) expect(host).toMatch(/^https:\/\/[a-z0-9.-]+\.[a-z]+(\/|$)/);
			expect(apiBaseUrl({ baseUrl: 'http://localhost:4010/' }, adapter.api!.hosts)).toBe('http://localhost:4010');
		},
	);
});
