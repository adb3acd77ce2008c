import { createPaymentEvent, type PaymentEvent } from '../core/event';
import { ProviderPayloadError } from './common';
import { adyen } from './adyen';
import { authorizenet } from './authorizenet';
import { braintree } from './braintree';
import { businesscentral } from './businesscentral';
import { chargebee } from './chargebee';
import { checkoutcom } from './checkoutcom';
import { freshbooks } from './freshbooks';
import { gocardlessbank } from './gocardlessbank';
import { gocardless } from './gocardless';
import { intuitpayments } from './intuitpayments';
import { mollie } from './mollie';
import { netsuite } from './netsuite';
import { sageintacct } from './sageintacct';
import { paddle } from './paddle';
import { paypal } from './paypal';
import { paypalIpn } from './paypalIpn';
import { plaid } from './plaid';
import { square } from './square';
import { quickbooks } from './quickbooks';
import { razorpay } from './razorpay';
import { recurly } from './recurly';
import { shopify } from './shopify';
import { stripe } from './stripe';
import { truelayer } from './truelayer';
import { wise } from './wise';
import { worldpay } from './worldpay';
import { xero } from './xero';
import { zohobooks } from './zohobooks';
import type { NormalizeContext, ProviderAdapter, ProviderEvent, ProviderInput } from './types';

/** Every payment source, in the order auto-detection tries them (most specific shapes first). */
export const PROVIDERS: readonly ProviderAdapter[] = [
	stripe,
	paypal,
	paypalIpn,
	square,
	gocardless,
	chargebee,
	paddle,
	mollie,
	xero,
	quickbooks,
	wise,
	shopify,
	adyen,
	braintree,
	recurly,
	businesscentral,
	netsuite,
	sageintacct,
	worldpay,
	freshbooks,
	zohobooks,
	intuitpayments,
	authorizenet,
	razorpay,
	checkoutcom,
	plaid,
	truelayer,
	gocardlessbank,
];

export function providerById(id: string): ProviderAdapter {
	const adapter = PROVIDERS.find((candidate) => candidate.id === id);
	if (!adapter) throw new ProviderPayloadError(id, 'provider', `is not a supported payment source`);
	return adapter;
}

/** The adapter whose payload this is, or undefined when no supported provider recognises it. */
export function detectProvider(input: ProviderInput): ProviderAdapter | undefined {
	return PROVIDERS.find((adapter) => adapter.detect(input));
}

/** Validated canonical events for one provider event (`raw` added when given). */
export function toPaymentEvents(
	adapter: ProviderAdapter,
	event: ProviderEvent,
	context: NormalizeContext & { receivedAt: Date; raw?: unknown },
): PaymentEvent[] {
	return adapter
		.normalize(event, context)
		.map((input) => createPaymentEvent(context.raw === undefined ? input : { ...input, raw: context.raw }, context.receivedAt));
}

export type { ProviderAdapter, ProviderEvent, ProviderInput } from './types';
