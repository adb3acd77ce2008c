import { zohobooks } from '../providers/zohobooks';
import { createPaymentTrigger } from '../shared/paymentTrigger';

export class ZohoBooksPaymentTrigger extends createPaymentTrigger([zohobooks], {
	name: 'zohoBooksPaymentTrigger',
	displayName: 'Zoho Books Payment Trigger',
	icon: 'file:zohobooks.svg',
}) {}
