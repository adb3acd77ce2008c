import { quickbooks } from '../providers/quickbooks';
import { createPaymentPoller } from '../shared/paymentPoller';

export class QuickBooksPaymentPollTrigger extends createPaymentPoller(quickbooks, {
	name: 'quickBooksPaymentPollTrigger',
	displayName: 'QuickBooks Online Payment Poll Trigger',
	icon: 'file:quickbooks.svg',
}) {}
