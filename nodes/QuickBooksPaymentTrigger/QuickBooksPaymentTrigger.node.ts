import { quickbooks } from '../providers/quickbooks';
import { createPaymentTrigger } from '../shared/paymentTrigger';

export class QuickBooksPaymentTrigger extends createPaymentTrigger([quickbooks], {
	name: 'quickBooksPaymentTrigger',
	displayName: 'QuickBooks Online Payment Trigger',
	icon: 'file:quickbooks.svg',
}) {}
