import { paypal } from '../providers/paypal';
import { createPaymentPoller } from '../shared/paymentPoller';

export class PayPalPaymentPollTrigger extends createPaymentPoller(paypal, {
	name: 'payPalPaymentPollTrigger',
	displayName: 'PayPal Payment Poll Trigger',
	icon: 'file:paypal.svg',
}) {}
