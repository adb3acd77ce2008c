import { stripe } from '../providers/stripe';
import { createPaymentTrigger } from '../shared/paymentTrigger';

export class StripePaymentTrigger extends createPaymentTrigger([stripe], {
	name: 'stripePaymentTrigger',
	displayName: 'Stripe Payment Trigger',
	icon: 'file:stripe.svg',
}) {}
