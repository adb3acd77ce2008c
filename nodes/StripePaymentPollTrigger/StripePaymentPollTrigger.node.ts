import { stripe } from '../providers/stripe';
import { createPaymentPoller } from '../shared/paymentPoller';

export class StripePaymentPollTrigger extends createPaymentPoller(stripe, {
	name: 'stripePaymentPollTrigger',
	displayName: 'Stripe Payment Poll Trigger',
	icon: 'file:stripe.svg',
}) {}
