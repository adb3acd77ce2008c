import { freshbooks } from '../providers/freshbooks';
import { createPaymentTrigger } from '../shared/paymentTrigger';

export class FreshBooksPaymentTrigger extends createPaymentTrigger([freshbooks], {
	name: 'freshBooksPaymentTrigger',
	displayName: 'FreshBooks Payment Trigger',
	icon: 'file:freshbooks.svg',
}) {}
