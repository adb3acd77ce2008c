import communityNodes from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import jsoncParser from 'jsonc-eslint-parser';
import tseslint from 'typescript-eslint';

const communityRecommended = communityNodes.configs.recommendedWithoutN8nCloudSupport;

export default tseslint.config(
	{ ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
	{
		files: ['**/*.ts'],
		extends: [tseslint.configs.recommended],
		languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
		},
	},
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts', 'package.json'],
		plugins: { ...communityRecommended.plugins },
		rules: {
			...communityRecommended.rules,
			// zod, libphonenumber-js, fast-xml-parser, handlebars (templates) and nodemailer (SMTP) are chosen on purpose; the package targets self-hosted n8n,
			// where community nodes may have dependencies (n8n Cloud does not allow them).
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
		},
	},
	{
		// Pure code without n8n imports (design §1): it throws its own named errors, which the nodes turn
		// into NodeOperationError naming the item.
		files: ['nodes/core/**/*.ts', 'nodes/providers/**/*.ts', 'nodes/channels/**/*.ts', 'nodes/ConfirmPayment/templates.ts', 'nodes/PaymentWebhookTrigger/mapping.ts'],
		rules: { '@n8n/community-nodes/require-node-api-error': 'off' },
	},
	{
		files: ['nodes/**/*.node.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			// These two predate NodeConnectionTypes and ask for the 'main' literal, which the newer
			// @n8n/community-nodes/node-connection-type-literal rule forbids.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
		},
	},
	{
		files: ['credentials/**/*.credentials.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			// Expects a camelCase slug of n8n's own docs; community credentials link the provider's docs by URL.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{
		// Its name-based guess misses that Authorize.Net's "transaction key" is the API secret.
		files: ['credentials/PaymentEventsAuthorizeNetApi.credentials.ts'],
		rules: { '@n8n/community-nodes/credential-unnecessary-password': 'off' },
	},
	{
		files: ['package.json'],
		languageOptions: { parser: jsoncParser },
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: { ...n8nNodesBase.configs.community.rules },
	},
	{
		files: ['**/*.js', '**/*.mjs'],
		languageOptions: { globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly' } },
	},
);
