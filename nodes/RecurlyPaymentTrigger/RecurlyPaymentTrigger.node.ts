import { recurly } from '../providers/recurly';
import { createPaymentTrigger } from '../shared/paymentTrigger';

export class RecurlyPaymentTrigger extends createPaymentTrigger([recurly], {
	name: 'recurlyPaymentTrigger',
	displayName: 'Recurly Payment Trigger',
	icon: 'file:recurly.svg',
}) {}
