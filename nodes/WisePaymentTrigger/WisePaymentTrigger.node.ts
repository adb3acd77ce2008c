import { wise } from '../providers/wise';
import { createPaymentTrigger } from '../shared/paymentTrigger';

export class WisePaymentTrigger extends createPaymentTrigger([wise], {
	name: 'wisePaymentTrigger',
	displayName: 'Wise Payment Trigger',
	icon: 'file:wise.svg',
}) {}
