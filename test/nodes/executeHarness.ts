import type { ICredentialType, IDataObject, IExecuteFunctions, IHttpRequestOptions, INodeExecutionData, INodeType } from 'n8n-workflow';

import { authenticate } from './triggerHarness';

/** A credential as a test gives it: the credential class (for its authentication) and the values the user typed. */
export interface TestCredential {
	credential: ICredentialType;
	values: IDataObject;
}

/**
 * Runs an action node's execute() the way n8n does for one run, with a minimal context: parameters (functions get
 * the item), credentials by type, n8n's processed-data store in memory (shared across runs when `processed` is
 * reused), and an authenticated HTTP helper making real requests (intercepted by nock).
 */
export async function executeNode(
	NodeClass: new () => INodeType,
	{
		items,
		parameters,
		credentials = {},
		processed = new Set<string>(),
		continueOnFail = false,
	}: {
		items: IDataObject[];
		parameters: IDataObject;
		credentials?: Record<string, TestCredential>;
		processed?: Set<string>;
		continueOnFail?: boolean;
	},
): Promise<INodeExecutionData[][]> {
	const node = new NodeClass();
	const info = { id: 'node-1', name: node.description.defaults.name, type: node.description.name, typeVersion: 1, position: [0, 0], parameters };
	const context = {
		getInputData: () => items.map((json) => ({ json })),
		getNode: () => info,
		getNodeParameter: (name: string, itemIndex: number, fallback?: unknown) => {
			const value = parameters[name] ?? fallback;
			return typeof value === 'function' ? (value as (item: IDataObject) => unknown)(items[itemIndex]) : value;
		},
		continueOnFail: () => continueOnFail,
		getCredentials: async (type: string) => {
			if (!credentials[type]) throw new Error(`no credential of type ${type} in the test`);
			return credentials[type].values;
		},
		helpers: {
			httpRequestWithAuthentication: async (type: string, options: IHttpRequestOptions) => {
				const { credential, values } = credentials[type];
				const auth = authenticate(credential, values);
				const url = new URL(options.url);
				for (const [name, value] of Object.entries({ ...(options.qs ?? {}), ...auth.qs })) {
					if (value !== undefined) url.searchParams.append(name, String(value));
				}
				const headers: Record<string, string> = { ...auth.headers };
				for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = String(value);
				let body: string | FormData | undefined;
				if (typeof options.body === 'string' || options.body instanceof FormData) body = options.body;
				else if (options.body !== undefined) {
					body = JSON.stringify(options.body);
					headers['content-type'] ??= 'application/json';
				}
				const response = await fetch(url, { method: options.method ?? 'GET', headers, body });
				const content = await response.text();
				let parsed: unknown = content;
				try {
					parsed = content ? JSON.parse(content) : '';
				} catch {
					parsed = content;
				}
				if (!options.returnFullResponse) return parsed;
				return { statusCode: response.status, headers: Object.fromEntries(response.headers.entries()), body: parsed };
			},
			// n8n's processed-data store, in memory: returns which keys are new and records them.
			checkProcessedAndRecord: async (keys: string[]) => {
				const fresh = keys.filter((key) => !processed.has(key));
				keys.forEach((key) => processed.add(key));
				return { new: fresh, processed: keys.filter((key) => !fresh.includes(key)) };
			},
			removeProcessed: async (keys: string[]) => {
				keys.forEach((key) => processed.delete(key));
			},
		},
	} as unknown as IExecuteFunctions;
	return (await node.execute!.call(context)) as INodeExecutionData[][];
}
