import type { ICredentialType, IDataObject } from 'n8n-workflow';

import type { ChannelAdapter, ChannelRequest, ChannelResponse, ChannelTools, Delivery } from '../../nodes/channels/types';
import { apiBaseUrl, text } from '../../nodes/providers/common';
import { authenticate } from './triggerHarness';

/**
 * The ChannelTools the Confirm Payment node gives an adapter, made with real `fetch` (intercepted by nock in the
 * tests) and the credential's authentication applied as n8n applies it.
 */
export function channelTools(adapter: Pick<ChannelAdapter, 'hosts'>, credential: ICredentialType, credentials: IDataObject) {
	const sent: Array<{ url: string; method: string; headers: Record<string, string>; body?: string | FormData }> = [];
	const tools: ChannelTools = {
		credentials: Object.fromEntries(
			Object.entries(credentials).flatMap(([name, value]) => (text(value) ? [[name, text(value)!]] : [])),
		),
		async request(request: ChannelRequest): Promise<ChannelResponse> {
			const auth = authenticate(credential, credentials);
			const url = new URL(/^https?:\/\//.test(request.url) ? request.url : `${apiBaseUrl(credentials, adapter.hosts)}${request.url}`);
			for (const [name, value] of Object.entries({ ...(request.qs ?? {}), ...auth.qs })) url.searchParams.append(name, String(value));
			const headers: Record<string, string> = { ...auth.headers };
			for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = value;
			let body: string | FormData | undefined;
			if (request.form) {
				const form = new URLSearchParams();
				for (const [name, value] of Object.entries(request.form)) {
					for (const entry of typeof value === 'string' ? [value] : value) form.append(name, entry);
				}
				body = form.toString();
				headers['content-type'] = 'application/x-www-form-urlencoded';
			} else if (request.multipart) {
				body = new FormData();
				for (const [name, value] of Object.entries(request.multipart)) {
					for (const entry of typeof value === 'string' ? [value] : value) body.append(name, entry);
				}
			} else if (typeof request.body === 'string') {
				// A text body with its own content type (Dataverse's multipart $batch) goes as it is, as in n8n.
				body = request.body;
			} else if (request.body !== undefined) {
				body = JSON.stringify(request.body);
				headers['content-type'] ??= 'application/json';
			}
			sent.push({ url: url.toString(), method: request.method, headers, body });
			const response = await fetch(url, { method: request.method, headers, body });
			const content = await response.text();
			let parsed: unknown = content;
			try {
				parsed = content ? JSON.parse(content) : undefined;
			} catch {
				parsed = content;
			}
			return { status: response.status, headers: Object.fromEntries(response.headers.entries()), body: parsed };
		},
	};
	return { tools, sent };
}

/** A delivery as the node makes one: the rendered default confirmation for a real sample event. */
export function delivery(overrides: Partial<Delivery> = {}): Delivery {
	return {
		to: '+14155552671',
		name: 'Jenny Rosen',
		message: {
			subject: 'Payment received: $20.00',
			text: 'Hi Jenny, we received your payment of $20.00 (ref INV-0042). Thank you!',
			html: '<p>Hi Jenny, we received your payment of <strong>$20.00</strong> (ref INV-0042). Thank you!</p>',
			facts: [
				{ name: 'Amount', value: '$20.00' },
				{ name: 'Reference', value: 'INV-0042' },
			],
			templateParameters: ['Jenny', '$20.00', 'INV-0042'],
		},
		idempotencyKey: 'stripe:evt_1:twilio:+14155552671',
		settings: {},
		...overrides,
	};
}
