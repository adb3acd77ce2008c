import type {
	ICredentialType,
	IDataObject,
	IHookFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeType,
	IPollFunctions,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

/**
 * Runs a trigger node's webhook and publish/unpublish methods the way n8n calls them, with a minimal context
 * whose HTTP helpers make real requests (intercepted by nock in the tests) and apply the credential's
 * authentication as n8n would.
 */
export interface TriggerSetup {
	credential: ICredentialType;
	credentials: IDataObject;
	parameters?: IDataObject;
	staticData?: IDataObject;
	webhookUrl?: string;
	nodeId?: string;
}

export interface Delivery {
	body: Buffer | string;
	headers?: Record<string, string>;
	query?: Record<string, string>;
	/** The webhook the request reaches: POST deliveries go to 'default', GET handshakes to 'setup'. */
	webhookName?: 'default' | 'setup';
}

export interface DeliveryResult {
	/** The HTTP status the provider sees. */
	status: number;
	/** The response body the provider sees. */
	body: unknown;
	/** Whether an execution starts, and with which items. */
	started: boolean;
	items: IDataObject[];
}

export interface HttpError extends Error {
	httpCode: string;
	response: { status: number; body: unknown; headers: Record<string, string> };
}

function resolveTemplate(template: string, credentials: IDataObject): string {
	return template
		.replace(/^=/, '')
		.replace(/\{\{\s*\$credentials\.(\w+)\s*\}\}/g, (_match, field: string) => String(credentials[field] ?? ''));
}

/** The headers and query n8n adds for a credential: its generic `authenticate`, or an OAuth2 bearer token. */
export function authenticate(credential: ICredentialType, credentials: IDataObject): { headers: Record<string, string>; qs: IDataObject } {
	const headers: Record<string, string> = {};
	const qs: IDataObject = {};
	const oauth = credentials.oauthTokenData as IDataObject | undefined;
	if (oauth?.access_token) headers.authorization = `Bearer ${String(oauth.access_token)}`;
	const generic = credential.authenticate;
	if (generic && typeof generic === 'object' && generic.type === 'generic') {
		for (const [name, value] of Object.entries(generic.properties.headers ?? {})) {
			headers[name.toLowerCase()] = resolveTemplate(String(value), credentials);
		}
		for (const [name, value] of Object.entries(generic.properties.qs ?? {})) qs[name] = resolveTemplate(String(value), credentials);
		const auth = generic.properties.auth;
		if (auth) {
			const user = resolveTemplate(String(auth.username), credentials);
			const password = resolveTemplate(String(auth.password), credentials);
			headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
		}
	}
	return { headers, qs };
}

async function request(options: IHttpRequestOptions, extra = { headers: {} as Record<string, string>, qs: {} as IDataObject }) {
	const url = new URL(options.url);
	for (const [name, value] of Object.entries({ ...(options.qs ?? {}), ...extra.qs })) {
		if (value !== undefined) url.searchParams.append(name, String(value));
	}
	const headers: Record<string, string> = { ...extra.headers };
	for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = String(value);
	let body: string | undefined;
	if (typeof options.body === 'string') body = options.body;
	else if (options.body !== undefined) {
		body = JSON.stringify(options.body);
		headers['content-type'] ??= 'application/json';
	}
	const response = await fetch(url, { method: options.method ?? 'GET', headers, body });
	const content = await response.text();
	let parsed: unknown = content;
	if (options.json && content) {
		try {
			parsed = JSON.parse(content);
		} catch {
			parsed = content;
		}
	}
	if (!response.ok) {
		const error = new Error(`Request failed with status code ${response.status}`) as HttpError;
		error.httpCode = String(response.status);
		error.response = { status: response.status, body: parsed, headers: Object.fromEntries(response.headers.entries()) };
		throw error;
	}
	return options.json ? parsed : content;
}

export function triggerHarness(NodeClass: new () => INodeType, setup: TriggerSetup) {
	const node = new NodeClass();
	const staticData: IDataObject = setup.staticData ?? {};
	const parameters: IDataObject = setup.parameters ?? {};
	const webhookUrl = setup.webhookUrl ?? 'https://n8n.example.com/webhook/2c0f6b0e-payment/webhook';
	const nodeInfo = { id: setup.nodeId ?? `trigger-${Math.random().toString(36).slice(2)}`, name: node.description.defaults.name, type: node.description.name, typeVersion: 1, position: [0, 0], parameters };
	const warnings: string[] = [];
	const requests: IHttpRequestOptions[] = [];

	const base = {
		getNode: () => nodeInfo,
		getWorkflow: () => ({ id: 'workflow-1', name: 'Payments', active: true }),
		getNodeParameter: (name: string, fallback?: unknown) => parameters[name] ?? fallback,
		getCredentials: async () => setup.credentials,
		getWorkflowStaticData: () => staticData,
		getNodeWebhookUrl: () => webhookUrl,
		logger: { warn: (message: string) => warnings.push(message), info: () => {}, debug: () => {}, error: () => {} },
		helpers: {
			httpRequest: async (options: IHttpRequestOptions) => {
				requests.push(options);
				return await request(options);
			},
			httpRequestWithAuthentication: async (_type: string, options: IHttpRequestOptions) => {
				requests.push(options);
				return await request(options, authenticate(setup.credential, setup.credentials));
			},
		},
	};

	async function deliver(delivery: Delivery): Promise<DeliveryResult> {
		const rawBody = Buffer.isBuffer(delivery.body) ? delivery.body : Buffer.from(delivery.body);
		const response = { status: 200, body: undefined as unknown, headers: {} as Record<string, string> };
		const res = {
			status(code: number) {
				response.status = code;
				return res;
			},
			json(body: unknown) {
				response.body = body;
				return res;
			},
			send(body: unknown) {
				response.body = body;
				return res;
			},
			end() {
				return res;
			},
			setHeader(name: string, value: string) {
				response.headers[name.toLowerCase()] = value;
				return res;
			},
		};
		const context = {
			...base,
			getWebhookName: () => delivery.webhookName ?? 'default',
			getRequestObject: () => ({ headers: delivery.headers ?? {}, query: delivery.query ?? {}, rawBody, body: {} }),
			getResponseObject: () => res,
		} as unknown as IWebhookFunctions;
		const result: IWebhookResponseData = await node.webhook!.call(context);
		const items = (result.workflowData?.[0] ?? []).map((item) => item.json);
		if (!result.noWebhookResponse && result.webhookResponse !== undefined) response.body = result.webhookResponse;
		return { status: response.status, body: response.body, started: result.workflowData !== undefined, items };
	}

	const hooks = node.webhookMethods!.default!;
	const hookContext = { ...base, getWebhookName: () => 'default' } as unknown as IHookFunctions;

	return {
		node,
		staticData,
		warnings,
		requests,
		deliver,
		/** What n8n does when the workflow is published: create the subscription unless it exists. */
		async publish(): Promise<void> {
			if (!(await hooks.checkExists.call(hookContext))) await hooks.create.call(hookContext);
		},
		/** What n8n does when the workflow is unpublished. */
		async unpublish(): Promise<boolean> {
			return await hooks.delete.call(hookContext);
		},
	};
}

/**
 * Runs a polling trigger's poll() the way n8n's scheduler does (mode 'trigger') or as the editor's "Fetch Test
 * Event" (mode 'manual'), keeping the node's static data between calls as n8n persists it.
 */
export function pollHarness(NodeClass: new () => INodeType, setup: TriggerSetup) {
	const node = new NodeClass();
	const staticData: IDataObject = setup.staticData ?? {};
	const parameters: IDataObject = setup.parameters ?? {};
	const requests: IHttpRequestOptions[] = [];
	const nodeInfo = { id: setup.nodeId ?? 'poller-1', name: node.description.defaults.name, type: node.description.name, typeVersion: 1, position: [0, 0], parameters };

	async function poll(mode: 'trigger' | 'manual' = 'trigger'): Promise<IDataObject[] | null> {
		const context = {
			getNode: () => nodeInfo,
			getMode: () => mode,
			getWorkflow: () => ({ id: 'workflow-1', name: 'Payments', active: true }),
			getNodeParameter: (name: string, fallback?: unknown) => parameters[name] ?? fallback,
			getCredentials: async () => setup.credentials,
			getWorkflowStaticData: () => staticData,
			logger: { warn: () => {}, info: () => {}, debug: () => {}, error: () => {} },
			helpers: {
				httpRequest: async (options: IHttpRequestOptions) => {
					requests.push(options);
					return await request(options);
				},
				httpRequestWithAuthentication: async (_type: string, options: IHttpRequestOptions) => {
					requests.push(options);
					return await request(options, authenticate(setup.credential, setup.credentials));
				},
			},
		} as unknown as IPollFunctions;
		const result: INodeExecutionData[][] | null = await node.poll!.call(context);
		return result === null ? null : result[0].map((item) => item.json);
	}

	return { node, staticData, requests, poll };
}
