import { chargebee } from '../providers/chargebee';
import { createPaymentTrigger } from '../shared/paymentTrigger';

export class ChargebeePaymentTrigger extends createPaymentTrigger([chargebee], {
	name: 'chargebeePaymentTrigger',
	displayName: 'Chargebee Payment Trigger',
	icon: 'file:chargebee.svg',
}) {}
