import { braintree } from '../providers/braintree';
import { createPaymentTrigger } from '../shared/paymentTrigger';

export class BraintreePaymentTrigger extends createPaymentTrigger([braintree], {
	name: 'braintreePaymentTrigger',
	displayName: 'Braintree Payment Trigger',
	icon: 'file:braintree.svg',
}) {}
