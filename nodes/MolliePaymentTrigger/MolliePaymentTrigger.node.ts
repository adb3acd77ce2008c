import { mollie } from '../providers/mollie';
import { createPaymentTrigger } from '../shared/paymentTrigger';

export class MolliePaymentTrigger extends createPaymentTrigger([mollie], {
	name: 'molliePaymentTrigger',
	displayName: 'Mollie Payment Trigger',
	icon: 'file:mollie.svg',
}) {}
